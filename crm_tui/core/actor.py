"""The user on whose behalf a service acts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    id: int | None
    login: str
    display_name: str
    role: str
    department_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "administrator"

    @classmethod
    def from_user(cls, user) -> Actor:
        return cls(user.id, user.login, user.display_name, user.role, user.department_id)


SYSTEM = Actor(None, "system", "system", "administrator")
