"""The feed kind `vocabulary`: the center's synonym groups and user dictionary, applied into the
local knowledge base (source 'center', beside the built-in lists) so an agent's search uses
them after one sync.

Synonyms expand at query time: a new analyzer picks them up at the next search. New user words
change segmentation, so the index is rebuilt; the app runs that rebuild on its index executor
(the existing cancellable `KnowledgeBase.rebuild_index`), never on the sync thread or the GUI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from common.wire import Change
from kb.knowledge_base import KnowledgeBase
from kb.vocabulary import Vocabulary
from sync.registry import SyncRegistry

log = logging.getLogger(__name__)
FEED_KIND = "vocabulary"


VERSION_META = "center_vocabulary_version"


def apply_change(kb: KnowledgeBase, change: Change) -> bool:
    """Replace the center's vocabulary with the one the change carries (the whole of it; the
    newest version wins, so a page replayed after a crash never brings an older one back);
    False when it changes nothing."""
    version = int(change.data.get("version") or 0)
    if version and version < int(kb.store.get_meta(VERSION_META, "0")):
        return False
    vocabulary = Vocabulary.from_payload(change.data)
    with kb.store.transaction():
        if version:
            kb.store.set_meta(VERSION_META, str(version))
        return kb.store.replace_center_vocabulary(vocabulary.synonym_groups, vocabulary.user_words)


def index_outdated(kb: KnowledgeBase) -> bool:
    """After the vocabulary changed: True when the index was built with another segmentation
    and must be rebuilt (reading the analyzer is what notices the new lexicon)."""
    kb.analyzer  # noqa: B018 - the property swaps in the new lexicon's analyzer
    return kb.state == "broken"


def register(
    registry: SyncRegistry, kb: KnowledgeBase, rebuild: Callable[[], None] | None = None
) -> None:
    """Apply the feed kind under the knowledge base's write lock; after a page that changed the
    vocabulary, ask `rebuild` for a rebuild when segmentation changed (None: rebuild here, in
    the calling thread, as a client without a window does)."""

    def after_page() -> None:
        if not index_outdated(kb):
            return
        if rebuild is not None:
            rebuild()
            return
        log.info("the center's vocabulary changed segmentation: rebuilding the index")
        kb.rebuild_index()

    registry.feed_kind(
        FEED_KIND,
        lambda change: apply_change(kb, change),
        guard=kb.write_lock,
        after_page=after_page,
    )
