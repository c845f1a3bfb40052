"""The newsroom's content, one module per subject."""

from ..versions import include_in_article_versions
from .articles import Article, ArticleQuerySet, SearchVectorIndex
from .authors import Author
from .corrections import Correction, CorrectionKind
from .editing import PRESENCE_TIMEOUT, AutosavedDraft, EditingSession
from .links import ArticleLink, TopicBox
from .previews import (
    PREVIEW_LINK_LIFETIME,
    PreviewLink,
    SharedPreview,
    default_preview_expiry,
)
from .publication import add_publication_check
from .redirects import ArticleRedirect, OldAddress, SectionRedirect
from .search_words import SearchWord
from .sections import RESERVED_SECTION_SLUGS, Section
from .states import (
    MAX_HEADLINE_LENGTH_TO_PUBLISH,
    ArticleKind,
    ArticleStatus,
    StaleEditError,
    published_condition,
)
from .tags import Tag, TaggedArticle

__all__ = [
    "MAX_HEADLINE_LENGTH_TO_PUBLISH",
    "PRESENCE_TIMEOUT",
    "PREVIEW_LINK_LIFETIME",
    "RESERVED_SECTION_SLUGS",
    "Article",
    "ArticleKind",
    "ArticleLink",
    "ArticleQuerySet",
    "ArticleRedirect",
    "ArticleStatus",
    "Author",
    "AutosavedDraft",
    "Correction",
    "CorrectionKind",
    "EditingSession",
    "OldAddress",
    "PreviewLink",
    "SearchVectorIndex",
    "SearchWord",
    "Section",
    "SectionRedirect",
    "SharedPreview",
    "StaleEditError",
    "Tag",
    "TaggedArticle",
    "TopicBox",
    "add_publication_check",
    "default_preview_expiry",
    "published_condition",
]

# Registered as the models load: the admin's version support, set up
# before any AppConfig.ready() of ours runs, would otherwise register
# Article itself, following only its inlines.
include_in_article_versions(TopicBox, "topic_boxes")
include_in_article_versions(TaggedArticle, "tagged_items")
# Corrections are left out on purpose: see articles.versions.
