"""Server schema 4: configuration the county sends to its clinics, one way, signed.

Each row is one item: a service package (`key` its code), a policy pack (`key` its county and
first day) or one rule setting (`key` the setting's name), for the clinics of one scope (a
county, township or village division code). `version` comes from its own sequence and is renewed
when the item is withdrawn, so a clinic asks for everything after the highest version it applied
and sees both new items and withdrawals. `body` is the item's canonical JSON text and `signature`
the county key's Ed25519 signature over the item's canonical encoding
(app.sync.config.item_payload), made again whenever the row changes.
"""

from __future__ import annotations

SQL = """
CREATE SEQUENCE config_seq AS BIGINT;

CREATE TABLE config_items (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('service_package', 'policy_pack', 'setting')),
    key TEXT NOT NULL,
    scope TEXT NOT NULL CHECK (scope ~ '^[0-9]{12}$'),
    version BIGINT NOT NULL UNIQUE DEFAULT nextval('config_seq'),
    body TEXT NOT NULL,
    signature BYTEA NOT NULL DEFAULT '',
    published_at TIMESTAMPTZ NOT NULL DEFAULT date_trunc('second', now()),
    withdrawn BOOLEAN NOT NULL DEFAULT false,
    withdrawn_at TIMESTAMPTZ
);
CREATE INDEX config_items_scope ON config_items (scope, version);
CREATE INDEX config_items_key ON config_items (kind, key, scope);
"""
