# The residents capability (src/residents/, templates/residents/).
residents-title = 住民
residents-new = 住民を登録
residents-edit = 住民情報を編集
help-kana = 全角カタカナで入力してください。
help-skills = スキル名とレベル（1=入門〜5=専門）。空欄の行は無視されます。
placeholder-skill = 例: Excel
skill-level = レベル{ $level }
hours-per-week = 週{ $hours }時間
travel-minutes = 片道{ $minutes }分まで
work_style-telework_employment = テレワーク就職
work_style-spare_time = すきま時間テレワーク
work_style-telework_migration = テレワーク移住
time_window-weekday_morning = 平日午前
time_window-weekday_afternoon = 平日午後
time_window-weekday_evening = 平日夜間
time_window-weekend = 土日祝
office_visits-never = 出社しない
office_visits-monthly = 月1回程度
office_visits-weekly = 週1回程度
circumstances-notice = この欄はご本人と担当地域のコーディネーターだけが見られます。
circumstances-none = 特になし
circumstances-hidden = 非公開（ご本人と担当コーディネーターのみ閲覧できます）
resident-has-login = この住民はログインを持っています。
resident-give-login = ログインを発行
resident-give-login-help = ご本人が自分のプロフィール（スキル・稼働できる時間・希望する働き方）を更新できるようになります。初期パスワードは直接お伝えください。
resident-initial-password = 初期パスワード（10文字以上）
