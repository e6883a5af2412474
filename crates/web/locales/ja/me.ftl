# The me capability (src/me/, templates/me/).
me-title = マイページ
tokens-title = APIトークン
tokens-intro = JSON API（/api/v1）を使うための個人用トークンです。あなたと同じ権限で動作します。
tokens-created = トークンを作成しました。この画面を離れると二度と表示されません。安全な場所に保存してください。
tokens-revoke = 無効にする
tokens-name = トークンの名前
tokens-create = トークンを作成
password-title = パスワードの変更
password-submit = パスワードを変更
password-choose-title = パスワードの設定
password-choose-intro = 仮パスワードでログインしました。続けるには、ご自身だけが知っているパスワードを設定してください。
tokens-revoke-title = トークンの取り消し
tokens-revoke-question = トークン「{ $name }」を取り消しますか？
tokens-revoke-detail = このトークンを使っているプログラムは、すぐに API を使えなくなります。元に戻すことはできません。
