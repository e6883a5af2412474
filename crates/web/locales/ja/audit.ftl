# The audit capability (src/audit/, templates/audit/).
audit-title = 監査ログ
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
