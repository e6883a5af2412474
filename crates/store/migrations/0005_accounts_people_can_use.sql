-- Accounts people can use: a password set by someone else (a reset, or a new login handed over)
-- must be changed at first login and stops working after a while; a notice after a save
-- ("保存しました") is kept with the session until the next page shows it.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_expires_at BIGINT;
ALTER TABLE sessions ADD COLUMN flash TEXT;
-- Login throttling counts failures per login and address.
CREATE INDEX login_attempts_login_ip_at ON login_attempts (login, ip, at);
-- Secrets every app server on this database shares (e.g. the key that signs the anonymous
-- form token of the login page), made once at random.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
