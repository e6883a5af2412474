app-name = 地元 Jimoto
footer = 地元 Jimoto — ローカル・テレワークのためのプラットフォーム
nav-label = メインメニュー
nav-home = ホーム
nav-regions = 地域
nav-organisations = 団体・企業
nav-residents = 住民
nav-users = アカウント
nav-audit = 監査ログ
nav-me = マイページ
nav-logout = ログアウト

error-title = エラー
error-back = ホームへ戻る
error-csrf = フォームの有効期限が切れたか、不正な送信です。ページを再読み込みしてからもう一度送信してください。
error-unauthenticated = ログインしてください。
error-invalid_credentials = ログインIDまたはパスワードが正しくありません。
error-too_many_attempts = ログインの失敗が続いたため、一時的にロックしました。{ $minutes }分後にもう一度お試しください。
error-forbidden = この操作を行う権限がありません。
error-not_found = 見つかりません。
error-validation = 入力内容に誤りがあります。
error-internal = システムエラーが発生しました。時間をおいてもう一度お試しください。
error-invalid_json = リクエストの内容を読み取れません
error-invalid_query = 検索条件を読み取れません
error-content_type = Content-Type は application/json にしてください
error-body_too_large = 送信データが大きすぎます。入力を短くしてください。

login-title = ログイン
login-intro = 地元 Jimoto にログインしてください。
login-submit = ログイン

home-title = ホーム
home-role-admin = プラットフォーム全体の地域・団体・アカウントを管理します。
home-role-coordinator = 担当地域の住民と企業をつなぎ、一人ひとりの歩みを支えます。
home-role-municipal = 地域のビジョンと政策課題を示し、取り組みの状況を確認します。
home-role-company_member = 自社の情報を管理し、地域の人材とつながります。
home-role-resident = ご自身のプロフィール（スキル・働ける時間・希望する働き方）を管理できます。
home-my-profile = 私のプロフィール
home-edit-profile = プロフィールを編集
home-my-organisation = 所属団体
home-regions = 地域
home-residents-count = 住民 { $count }人

regions-title = 地域
regions-new = 地域を登録
regions-edit = 地域を編集
orgs-title = 団体・企業
orgs-new = 団体・企業を登録
orgs-edit = 団体・企業を編集
orgs-members = メンバー
residents-title = 住民
residents-new = 住民を登録
residents-edit = 住民情報を編集
me-title = マイページ
audit-title = 監査ログ
users-title = アカウント
users-new = アカウントを作成
users-regions = 担当地域（コーディネーター・自治体職員）
users-organisation = 所属団体（企業担当者）
users-resident = 住民ID（住民）

pager-label = ページ送り
pager-total = 全{ $count }件
pager-prev = 前へ
pager-next = 次へ
form-has-errors = 入力内容を確認してください。
filter-q = キーワード
filter-all = すべて
filter-apply = 絞り込む
list-empty = 該当するものはありません。

action-edit = 編集
action-save = 保存
action-create = 作成

help-lg_code = 6桁の全国地方公共団体コード（検査数字を含む）。例: 萩市 352047
help-one-per-line = 1行に1つずつ入力してください。
help-kana = 全角カタカナで入力してください。
help-skills = スキル名とレベル（1=入門〜5=専門）。空欄の行は無視されます。
placeholder-skill = 例: Excel

field-login = ログインID
field-password = パスワード
field-display_name = 表示名
field-role = 役割
field-lang = 表示言語
field-scope = 担当範囲
field-regions = 担当地域
field-organisation_id = 所属団体
field-resident_id = 住民ID
field-user_id = ログイン
field-lg_code = 地方公共団体コード
field-name = 名前
field-name_kana = フリガナ
field-prefecture = 都道府県
field-policy_issues = 政策課題
field-vision = ビジョン
field-updated_at = 最終更新
field-kind = 種別
field-region_id = 地域
field-hq_prefecture = 本社所在地
field-industry = 業種
field-telework_share_percent = テレワーク実施率（%）
field-email = メールアドレス
field-phone = 電話番号
field-circumstances = 事情（子育て・介護・療養）
field-childcare = 子育て中
field-care = 介護中
field-treatment = 療養・通院中
field-note = メモ
field-skills = スキル
field-level = レベル
field-spare_hours_per_week = 週あたりの稼働可能時間
field-time_windows = 稼働できる時間帯
field-work_styles = 希望する働き方
field-office_visits = 出社できる頻度
field-max_travel_minutes = 出社時の移動時間の上限（分）

skill-level = レベル{ $level }
hours-per-week = 週{ $hours }時間
travel-minutes = 片道{ $minutes }分まで

kind-municipality = 自治体
kind-urban_company = 都市部企業
kind-local_company = 地域企業
kind-school = 学校
kind-coordinator_body = 中間支援団体

role-admin = 管理者
role-coordinator = コーディネーター
role-municipal = 自治体職員
role-company_member = 企業担当者
role-resident = 住民テレワーカー

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

tokens-title = APIトークン
tokens-intro = JSON API（/api/v1）を使うための個人用トークンです。あなたと同じ権限で動作します。
tokens-created = トークンを作成しました。この画面を離れると二度と表示されません。安全な場所に保存してください。
tokens-revoke = 無効にする
tokens-name = トークンの名前
tokens-create = トークンを作成

audit-entity = 対象
audit-at = 日時
audit-who = 操作者
audit-what = 対象と操作
audit-changes = 変更内容
audit-changed = （変更あり・内容は非表示）
audit-action-create = 作成
audit-action-update = 更新

entity-resident = 住民
entity-organisation = 団体・企業
entity-region = 地域
entity-user = アカウント

err-required = 入力してください
err-too_long = { $max }文字以内で入力してください
err-too_short = { $min }文字以上で入力してください
err-too_many = { $max }件以内にしてください
err-out_of_range = { $min }から{ $max }の範囲で入力してください
err-number = 数字で入力してください
err-invalid_choice = 選択肢から選んでください
err-lg_code_format = 6桁の数字で入力してください
err-lg_code_check_digit = 検査数字（6桁目）が一致しません。コードを確認してください
err-kana = 全角カタカナで入力してください
err-email = メールアドレスの形式が正しくありません
err-phone = 電話番号の形式が正しくありません
err-prefecture = 都道府県を選んでください
err-item_too_long = 1件あたり{ $max }文字以内で入力してください
err-taken = すでに登録されています
err-unknown = 存在しません
err-login_format = 3〜64文字の半角英数字と . _ - @ で入力してください
err-scope_mismatch = 役割に合った担当範囲を指定してください
err-unknown_or_linked = 存在しないか、すでにアカウントがあります
err-region_not_allowed = この地域には移せません
error-invalid_form = フォームの内容を読み取れません。ページを再読み込みしてからもう一度送信してください。

password-title = パスワードの変更
password-changed = パスワードを変更しました。ほかの端末のログインは終了しました。
password-submit = パスワードを変更
field-current_password = 現在のパスワード
field-new_password = 新しいパスワード
field-new_password_confirm = 新しいパスワード（確認）
err-wrong_password = 正しくありません
err-mismatch = 新しいパスワードと一致しません
err-self = 自分自身には行えません
users-status = 状態
users-active = 有効
users-disabled = 無効
users-disable = 無効にする
users-enable = 有効にする
home-today = { $date }（{ $fy }）
resident-has-login = この住民はログインを持っています。
resident-give-login = ログインを発行
resident-give-login-help = ご本人が自分のプロフィール（スキル・稼働できる時間・希望する働き方）を更新できるようになります。初期パスワードは直接お伝えください。
resident-initial-password = 初期パスワード（10文字以上）
orgs-add-member = メンバーのアカウントを追加
