# The home capability (src/home/, templates/home/).
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
home-today = { $date }（{ $fy }）
home-residents-count-at-least = 住民 { $count }人以上
home-regions-count = 登録されている地域：{ $count }件
