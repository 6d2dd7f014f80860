"""Enrolment, the clinic's side: redeem the county's one-time code for a certificate.

The installation makes its Ed25519 key pair, sends the public half with the code, its instance and
its division; the county answers with a certificate it signed, its own public key, the scope and
the station it assigned. The certificate is checked (the county's signature, this instance, this
key) before anything is kept; then, in one transaction, the enrolment is stored and the station
confirmed, which settles the provisional 档案号 (DOMAIN.md rule 2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from app import __version__
from app.core.errors import ConflictError, ValidationError
from app.sync.identity import IdentityError, new_key_pair, normal_code, read_certificate
from app.sync.protocol import Enrol, Enrolled

if TYPE_CHECKING:
    from app.storage.workspace import Workspace


class Enroller(Protocol):
    def enrol(self, message: Enrol) -> Enrolled: ...


def enrol(ws: Workspace, county: Enroller, code: str, *, server_url: str = "",
          replace: bool = False) -> Enrolled:
    """Enrol this installation with the county; returns the county's answer. An installation
    enrolled already is refused unless `replace`: then the new enrolment takes the old one's
    place (unsynced changes stay in the outbox for the next sync; a new server is pulled from
    its beginning)."""
    from app.storage.changes import now_iso
    from app.storage.migrations import LATEST_VERSION
    from app.storage.syncing import Identity
    from app.storage.users import SYSTEM_USER

    try:
        typed = normal_code(code)
    except IdentityError as exc:
        raise ValidationError(str(exc), field="code") from None
    before = ws.sync.identity()
    if before is not None and not replace:
        raise ConflictError("本机已经注册过，不需要再注册", field="code")
    keys = new_key_pair()
    answer = county.enrol(Enrol(code=typed, instance=ws.instance_id, public_key=keys.public.hex(),
                                division=ws.settings.division_code, schema_version=LATEST_VERSION,
                                app_version=__version__))
    county_key = bytes.fromhex(answer.county_key)
    try:
        cert = read_certificate(answer.certificate.encode(), county_key)
    except IdentityError as exc:
        raise ValidationError(f"县里返回的证书无法核对：{exc}", field="code") from None
    if (cert.instance, cert.public_key, cert.station) != (ws.instance_id, keys.public, answer.station):
        raise ValidationError("县里返回的证书不是给本机的，请重新注册", field="code")
    with ws.transaction():
        ws.sync.set_identity(Identity(ws.instance_id, server_url, answer.scope, answer.station,
                                      keys.private, keys.public, answer.certificate.encode(),
                                      county_key, now_iso()))
        if before is not None and before.server_url != server_url:
            ws.sync.set_pull_cursor("")                 # another county's numbering: start over
        acting, ws.user = ws.user, SYSTEM_USER          # the county's answer, not a user's choice
        try:
            ws.record_numbers.confirm(answer.station, by="county")
        finally:
            ws.user = acting
        ws.audit("enrol", detail=f"scope {answer.scope}, station {answer.station}")
    return answer
