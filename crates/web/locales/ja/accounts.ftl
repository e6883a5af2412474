# The accounts capability (src/accounts/, templates/accounts/).
users-title = アカウント
users-new = アカウントを作成
users-regions = 担当地域（コーディネーター・自治体職員）
users-organisation = 所属団体（企業担当者）
users-resident = 住民ID（住民）
role-admin = 管理者
role-coordinator = コーディネーター
role-municipal = 自治体職員
role-company_member = 企業担当者
role-resident = 住民テレワーカー
users-status = 状態
users-active = 有効
users-disabled = 無効
users-disable = 無効にする
users-enable = 有効にする
