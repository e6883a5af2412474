# The auth capability (src/auth/, templates/auth/).
login-title = ログイン
login-intro = 地元 Jimoto にログインしてください。
login-submit = ログイン
