"""Knowledge authoring (issue 13): proposals and their review, revisions with names,
attachments, feedback, the trainers' lists and the vocabulary. Thin: the logic is in
server/services/authoring/; the contract is docs/authoring.md."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import APIRouter, Depends, File, Path, Query, Response, UploadFile, status

from common.articles import Article, AttachmentRef
from common.authoring import (
    APPROVERS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MIMES,
    SUBMITTERS,
    UUID_PATTERN,
    VOCABULARY_EDITORS,
    ApproveIn,
    Attention,
    Proposal,
    ProposalIn,
    ProposalState,
    RejectIn,
    RevisionOut,
    Vocabulary,
    VocabularyIn,
)
from server.api.deps import DbDep, UserDep, require
from server.api.responses import AUTH, CONFLICT, NOT_FOUND, Responses
from server.core.identity import CurrentUser
from server.schemas import BatchIn, BatchOut
from server.services.authoring import (
    attachments,
    feedback,
    proposals,
    review,
)
from server.services.authoring import (
    attention as attention_service,
)
from server.services.authoring import vocabulary as vocabulary_service
from server.services.errors import NotFound
from server.tables import article_revisions, users

router = APIRouter(prefix="/authoring", tags=["authoring"], responses=AUTH)
# Routes on the articles' and attachments' own paths (docs/authoring.md).
public_router = APIRouter(tags=["authoring"], responses=AUTH)

Submitter = Annotated[CurrentUser, Depends(require(*SUBMITTERS))]
Approver = Annotated[CurrentUser, Depends(require(*APPROVERS))]
VocabularyEditor = Annotated[CurrentUser, Depends(require(*VOCABULARY_EDITORS))]
ProposalUuid = Annotated[str, Path(pattern=UUID_PATTERN)]
# GET /authoring/proposals/batch must stay a plain 404 (only POST has that path), not a 422.
AnyProposalUuid = Annotated[str, Path(max_length=36)]
ArticleUuid = Annotated[str, Path(pattern=UUID_PATTERN)]

UPLOAD_REFUSED: Responses = {
    413: {"description": "The file is over 10 MB"},
    415: {"description": "Not a PNG, JPEG, GIF, WebP image or a PDF (by its content)"},
}


# -- proposals ----------------------------------------------------------------------------------
@router.post(
    "/proposals",
    response_model=Proposal,
    status_code=status.HTTP_201_CREATED,
    responses=CONFLICT | NOT_FOUND | {200: {"model": Proposal, "description": "Known already"}},
)
def submit_proposal(body: ProposalIn, author: Submitter, db: DbDep, response: Response) -> Proposal:
    """Online submit. A stale base (the article moved since the author started) is a 409 with
    the current article; a uuid the server has gives the stored proposal (200)."""
    with db.write() as conn:
        proposal, new = proposals.submit(conn, author, body)
    if not new:
        response.status_code = status.HTTP_200_OK
    return proposal


@router.post("/proposals/batch", response_model=BatchOut)
def push_proposals(body: BatchIn, author: Submitter, db: DbDep) -> BatchOut:
    """The outbox (kind `article_proposal`): idempotent by uuid, acknowledged per item; a
    stale base is stored as `conflict`."""
    with db.write() as conn:
        results = proposals.push(conn, author, body.items)
    return BatchOut(results=results)


@router.get("/proposals", response_model=list[Proposal])
def list_proposals(
    user: Submitter,
    db: DbDep,
    state: ProposalState | None = None,
    mine: bool = False,
    article_uuid: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[Proposal]:
    """Newest first. `state=submitted`: the review queue; `mine=true`: the caller's own."""
    with db.read() as conn:
        return proposals.listed(conn, user, state, mine, article_uuid, limit)


@router.get("/proposals/{uuid}", response_model=Proposal, responses=NOT_FOUND)
def get_proposal(uuid: AnyProposalUuid, _user: Submitter, db: DbDep) -> Proposal:
    with db.read() as conn:
        return proposals.get(conn, uuid)


@router.post("/proposals/{uuid}/approve", response_model=Proposal, responses=NOT_FOUND | CONFLICT)
def approve_proposal(
    uuid: ProposalUuid, manager: Approver, db: DbDep, body: ApproveIn | None = None
) -> Proposal:
    """Approve, and publish at once unless `publish` is false. The base is checked again: 409
    with the current article when it moved (the proposal goes to `conflict`)."""
    return review.approve(db, manager, uuid, publish=(body or ApproveIn()).publish)


@router.post("/proposals/{uuid}/reject", response_model=Proposal, responses=NOT_FOUND | CONFLICT)
def reject_proposal(uuid: ProposalUuid, body: RejectIn, manager: Approver, db: DbDep) -> Proposal:
    with db.write() as conn:
        return review.reject(conn, manager, uuid, body.comment)


@router.post("/proposals/{uuid}/publish", response_model=Proposal, responses=NOT_FOUND | CONFLICT)
def publish_proposal(uuid: ProposalUuid, manager: Approver, db: DbDep) -> Proposal:
    return review.publish(db, manager, uuid)


@router.get("/articles/{uuid}/revisions", response_model=list[RevisionOut], responses=NOT_FOUND)
def revisions(uuid: ArticleUuid, _user: Submitter, db: DbDep) -> list[RevisionOut]:
    """Every version of the article, oldest first, with its author's and approver's names."""
    author = users.alias("author")
    approver = users.alias("approver")
    with db.read() as conn:
        rows = conn.execute(
            sa.select(
                article_revisions.c.version,
                article_revisions.c.content,
                article_revisions.c.proposal_uuid,
                article_revisions.c.created_at,
                author.c.display_name.label("author_name"),
                author.c.username.label("author_username"),
                approver.c.display_name.label("approver_name"),
                approver.c.username.label("approver_username"),
            )
            .select_from(
                article_revisions.outerjoin(
                    author, author.c.id == article_revisions.c.author_id
                ).outerjoin(approver, approver.c.id == article_revisions.c.approver_id)
            )
            .where(article_revisions.c.article_uuid == uuid)
            .order_by(article_revisions.c.version)
        ).all()
    if not rows:
        raise NotFound("no such article / 文章不存在")
    return [
        RevisionOut(
            version=r.version,
            article=Article.model_validate_json(r.content),
            author=r.author_name or r.author_username or "",
            approver=r.approver_name or r.approver_username or "",
            proposal_uuid=r.proposal_uuid,
            created_at=r.created_at,
        )
        for r in rows
    ]


@public_router.post("/articles/{uuid}/retire", response_model=Article, responses=NOT_FOUND)
def retire_article(uuid: ArticleUuid, manager: Approver, db: DbDep) -> Article:
    """Take the article out of use: a new version with status `archived`, and a tombstone in
    the feed that every client applies."""
    with db.write(appends_changes=True) as conn:
        return review.retire(conn, manager, uuid)


# -- attachments --------------------------------------------------------------------------------
@router.post(
    "/attachments",
    response_model=AttachmentRef,
    status_code=status.HTTP_201_CREATED,
    responses=UPLOAD_REFUSED,
)
def upload_attachment(
    file: Annotated[UploadFile, File(description="PNG, JPEG, GIF, WebP or PDF, up to 10 MB")],
    user: Submitter,
    db: DbDep,
) -> AttachmentRef:
    # One byte over the limit is enough to refuse; never read more than that.
    data = file.file.read(ATTACHMENT_MAX_BYTES + 1)
    with db.write() as conn:
        return attachments.store(conn, user, file.filename or "", data)


@public_router.get(
    "/attachments/{sha256}",
    response_class=Response,
    responses=NOT_FOUND
    | {
        200: {
            "description": "The file",
            "content": {
                mime: {"schema": {"type": "string", "format": "binary"}}
                for mime in ATTACHMENT_MIMES
            },
        }
    },
)
def download_attachment(
    sha256: Annotated[str, Path(pattern=r"^[0-9a-fA-F]{64}$")], _user: UserDep, db: DbDep
) -> Response:
    with db.read() as conn:
        row = attachments.read(conn, sha256)
    return Response(
        content=bytes(row.data),
        media_type=row.mime,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.name, safe='')}",
            # The content never changes under its hash.
            "Cache-Control": "private, max-age=31536000, immutable",
            "X-Content-Type-Options": "nosniff",
        },
    )


# -- feedback, attention, vocabulary ------------------------------------------------------------
@public_router.post("/articles/feedback/batch", response_model=BatchOut)
def push_feedback(body: BatchIn, user: UserDep, db: DbDep) -> BatchOut:
    """The outbox (kind `article_feedback`): agents' votes, idempotent by uuid."""
    with db.write() as conn:
        results = feedback.push(conn, user, body.items)
    return BatchOut(results=results)


@router.get("/attention", response_model=Attention)
def attention(
    _user: Submitter,
    db: DbDep,
    min_not_helpful: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Attention:
    with db.read() as conn:
        return attention_service.attention(conn, min_not_helpful)


@router.get("/vocabulary", response_model=Vocabulary)
def get_vocabulary(_user: UserDep, db: DbDep) -> Vocabulary:
    with db.read() as conn:
        return vocabulary_service.get(conn)


@router.put("/vocabulary", response_model=Vocabulary)
def put_vocabulary(body: VocabularyIn, editor: VocabularyEditor, db: DbDep) -> Vocabulary:
    """Replace the vocabulary; every client gets it through the feed (kind `vocabulary`)."""
    with db.write(appends_changes=True) as conn:
        return vocabulary_service.put(conn, editor, body)
