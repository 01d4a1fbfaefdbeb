"""The approvers' page (the approval flow itself comes with the reply work events)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from services.web.deps import SignedIn
from services.web.pages.work import NotVisibleError
from services.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/approvals", response_class=HTMLResponse)
def approvals_page(request: Request, signed_in: SignedIn) -> HTMLResponse:
    """Pending replies of the queues this user approves."""
    user, csrf = signed_in
    if not (user.approves or user.is_admin):
        raise NotVisibleError
    return page(request, "approvals.html", user=user, csrf=csrf, title="Approvals")
