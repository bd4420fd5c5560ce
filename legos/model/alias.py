"""An AliasMove is one move of an alias (an exclusive tag such as hero) between versions of an
asset: what `set_alias` answers and what `alias_history` lists."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class AliasMove(BaseModel):
    """`from_value`/`to_value` are the recorded values ('hero@v3', '' when new; several
    versions when the alias was on more than one); `from_version` is where it moved away
    from (the newest other one), `to_version` where it went. A move to where the alias
    already was is not recorded: `moved` is False and `at` None."""

    model_config = ConfigDict(frozen=True)

    alias: str
    uri: str                   # the version gaining the alias
    from_value: str
    to_value: str
    from_version: int | None
    to_version: int
    user: str
    note: str = ""
    moved: bool = True
    at: datetime | None = None
    uid: str = ""              # the recorded Change's uid ('' when nothing was recorded)
