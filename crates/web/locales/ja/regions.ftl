# The regions capability (src/regions/, templates/regions/).
regions-title = 地域
regions-new = 地域を登録
regions-edit = 地域を編集
regions-from-list = 名前・フリガナ・都道府県は全国地方公共団体コードの一覧（総務省）から自動で設定されます。
regions-pick-intro = 登録する市区町村を、名前またはフリガナで探してください（例：萩、ハギ、はぎ）。
regions-pick-q = 市区町村名・フリガナ
regions-pick-search = 探す
regions-pick-action = 登録
regions-pick-registered = 登録済み（地域を開く）
regions-pick-choose = この市区町村を登録
