"""Per-account credentials from a secrets file and/or one settings value; never logged.

The file (JSON or YAML) maps channel ids to what each platform needs:

    accounts:
      twitter:nhs_healthedeng: {access_token: "..."}            # OAuth 2.0 user token
      facebook:nhshee: {access_token: "..."}                     # Page access token
      linkedin:health-education-england: {access_token: "...", actor_urn: "urn:li:organization:1"}
      flickr:nhshealtheducationengland:                          # OAuth 1.0a
        {consumer_key: "...", consumer_secret: "...", token: "...", token_secret: "..."}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError


class CredentialsError(ValueError):
    """The secrets file or value is unreadable or malformed (the message names no secret)."""


class AccountCredentials(BaseModel):
    """What one account signs its requests with. Secrets print as '**********'."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    access_token: SecretStr | None = Field(default=None, description="Bearer token.")
    consumer_key: SecretStr | None = Field(default=None, description="OAuth 1.0a consumer key.")
    consumer_secret: SecretStr | None = Field(default=None, description="OAuth 1.0a secret.")
    token: SecretStr | None = Field(default=None, description="OAuth 1.0a access token.")
    token_secret: SecretStr | None = Field(default=None, description="OAuth 1.0a token secret.")
    actor_urn: str | None = Field(
        default=None, max_length=200, description="LinkedIn: organisation the replies come from."
    )

    @property
    def oauth1(self) -> bool:
        """True when all four OAuth 1.0a values are present."""
        return all((self.consumer_key, self.consumer_secret, self.token, self.token_secret))


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    accounts: dict[str, AccountCredentials] = Field(default_factory=dict)


def _parse(text: str, *, source: str) -> dict[str, AccountCredentials]:
    try:
        raw: Any = yaml.safe_load(text) if text.strip() else {}
        return _File.model_validate(raw or {}).accounts
    except (yaml.YAMLError, ValidationError) as err:
        # Only the locations of errors: pydantic's input echo could carry a secret.
        where = (
            ", ".join(".".join(str(p) for p in e["loc"]) for e in err.errors())
            if isinstance(err, ValidationError)
            else "not YAML/JSON"
        )
        raise CredentialsError(f"credentials in {source} are malformed at: {where}") from None


def load_credentials(
    *, path: Path | None, inline: SecretStr | None
) -> dict[str, AccountCredentials]:
    """Accounts from the file at `path`, then the inline JSON value (which wins per account)."""
    accounts: dict[str, AccountCredentials] = {}
    if path is not None:
        try:
            text = path.read_text()
        except OSError as err:
            raise CredentialsError(f"cannot read the secrets file {path}: {err.strerror}") from None
        accounts.update(_parse(text, source=str(path)))
    if inline is not None:
        accounts.update(_parse(inline.get_secret_value(), source="settings"))
    return accounts
