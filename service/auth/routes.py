"""HTTP: sign in, who am I."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.auth.schemas import Me, Token
from service.auth.service import authenticate
from service.auth.tokens import issue_token
from service.db import SessionDep

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/token", response_model=Token, operation_id="auth_token")
def login(session: SessionDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    """OAuth2 password flow: exchange a username and password for a bearer token."""
    user = authenticate(session, form.username, form.password)
    return Token(access_token=issue_token(user.id, user.token_version))


@router.get("/auth/me", response_model=Me, operation_id="auth_me")
def me(user: Annotated[UserAccount, Depends(requires("auth.me"))]) -> Me:
    """The signed-in account and what it is bound to."""
    return Me.model_validate(user, from_attributes=True)
