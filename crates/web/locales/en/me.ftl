# The me capability (src/me/, templates/me/).
me-title = My page
tokens-title = API tokens
tokens-intro = Personal tokens for the JSON API (/api/v1). A token acts with your permissions.
tokens-created = Token created. It will not be shown again once you leave this page: store it somewhere safe.
tokens-revoke = Revoke
tokens-name = Token name
tokens-create = Create token
password-title = Change password
password-changed = Your password was changed. Your other sessions have been logged out.
password-submit = Change password
