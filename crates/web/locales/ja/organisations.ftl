# The organisations capability (src/organisations/, templates/organisations/).
orgs-title = 団体・企業
orgs-new = 団体・企業を登録
orgs-edit = 団体・企業を編集
orgs-members = メンバー
kind-municipality = 自治体
kind-urban_company = 都市部企業
kind-local_company = 地域企業
kind-school = 学校
kind-coordinator_body = 中間支援団体
orgs-add-member = メンバーのアカウントを追加
orgs-add-member-help = 発行すると仮パスワードが表示されます。ログインIDと一緒にご本人にお渡しください。
orgs-kind-locked = 団体の種類は、担当のコーディネーターが変更します。
orgs-prefecture-of-region = 登録する地域と同じ都道府県
orgs-prefecture-hint = 地元の企業や自治体はそのままで構いません。都市部の企業は本社の都道府県を選んでください。
orgs-location = 所在地
