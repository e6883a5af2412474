# The me capability (src/me/, templates/me/).
me-title = My page
tokens-title = API tokens
tokens-intro = Personal tokens for the JSON API (/api/v1). A token acts with your permissions.
tokens-created = Token created. It will not be shown again once you leave this page: store it somewhere safe.
tokens-revoke = Revoke
tokens-name = Token name
tokens-create = Create token
password-title = Change password
password-submit = Change password
password-choose-title = Choose your password
password-choose-intro = You logged in with a temporary password. To continue, choose a password only you know.
tokens-revoke-title = Revoke token
tokens-revoke-question = Revoke the token "{ $name }"?
tokens-revoke-detail = Programs using this token lose access to the API at once. This cannot be undone.
