# The auth capability (src/auth/, templates/auth/).
login-title = Log in
login-intro = Log in to Jimoto.
login-submit = Log in
login-forgot = Forgot your password? Contact your coordinator (staff: your system administrator), who will issue a temporary password.
