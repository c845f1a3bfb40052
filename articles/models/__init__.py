"""The newsroom's content, one module per subject."""

import reversion

from .articles import Article, ArticleQuerySet, SearchVectorIndex
from .authors import Author
from .corrections import Correction, CorrectionKind
from .links import ArticleLink, TopicBox
from .previews import PREVIEW_LINK_LIFETIME, PreviewLink, default_preview_expiry
from .recommendations import (
    RecommendationSource,
    RelatedArticle,
    RelatedPin,
    RelatedProfile,
    RelatedTerm,
    RelatedTermCount,
)
from .redirects import ArticleRedirect, OldAddress, SectionRedirect
from .sections import RESERVED_SECTION_SLUGS, Section
from .states import (
    MAX_HEADLINE_LENGTH_TO_PUBLISH,
    ArticleStatus,
    StaleEditError,
    published_condition,
)
from .tags import Tag, TaggedArticle

__all__ = [
    "MAX_HEADLINE_LENGTH_TO_PUBLISH",
    "PREVIEW_LINK_LIFETIME",
    "RESERVED_SECTION_SLUGS",
    "Article",
    "ArticleLink",
    "ArticleQuerySet",
    "ArticleRedirect",
    "ArticleStatus",
    "Author",
    "Correction",
    "CorrectionKind",
    "OldAddress",
    "PreviewLink",
    "RecommendationSource",
    "RelatedArticle",
    "RelatedPin",
    "RelatedProfile",
    "RelatedTerm",
    "RelatedTermCount",
    "SearchVectorIndex",
    "Section",
    "SectionRedirect",
    "StaleEditError",
    "Tag",
    "TaggedArticle",
    "TopicBox",
    "default_preview_expiry",
    "published_condition",
]

# What a version of an article holds besides its own fields: tags, boxes,
# pinned recommendations and corrections, so that restoring brings them back.
reversion.register(TopicBox)
reversion.register(TaggedArticle)
reversion.register(RelatedPin)
reversion.register(Correction)
reversion.register(
    Article, follow=["topic_boxes", "tagged_items", "related_pins", "corrections"]
)
