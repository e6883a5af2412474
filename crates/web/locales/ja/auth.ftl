# The auth capability (src/auth/, templates/auth/).
login-title = ログイン
login-intro = 地元 Jimoto にログインしてください。
login-submit = ログイン
login-forgot = パスワードをお忘れの方は、担当のコーディネーター（企業の方は担当のコーディネーター、職員の方はシステム管理者）にご連絡ください。仮パスワードを発行します。
