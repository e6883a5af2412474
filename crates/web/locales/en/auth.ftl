# The auth capability (src/auth/, templates/auth/).
login-title = Log in
login-intro = Log in to Jimoto.
login-submit = Log in
