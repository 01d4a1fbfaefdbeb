"""Closed vocabularies shared by every service."""

from enum import StrEnum


class Platform(StrEnum):
    """Social platforms the organisation has accounts on."""

    TWITTER = "twitter"
    FACEBOOK = "facebook"
    LINKEDIN = "linkedin"
    INSTAGRAM = "instagram"
    YOUTUBE = "youtube"
    FLICKR = "flickr"


class ItemKind(StrEnum):
    """What an inbox item is, relative to the organisation's account."""

    COMMENT = "comment"  # on one of our posts, videos or photos
    REPLY = "reply"  # a reply within a comment thread on our content
    MENTION = "mention"  # our account named elsewhere (tweet, tagged post, caption)
    LIVE_COMMENT = "live_comment"  # comment during a live broadcast


class ItemAction(StrEnum):
    """What happened to the platform item; edits and deletions are events too."""

    CREATED = "created"
    EDITED = "edited"
    DELETED = "deleted"
    HIDDEN = "hidden"
    UNHIDDEN = "unhidden"


class ChannelKind(StrEnum):
    """Who an account belongs to, which decides who works it."""

    CORPORATE = "corporate"
    LOCAL = "local"
    PROGRAMME = "programme"


class RoutedStatus(StrEnum):
    """Where a routed item stands with respect to its queue's office hours."""

    QUEUED = "queued"  # routed while the queue was open: workable now
    HELD = "held"  # routed while the queue was closed: waits for the next opening
    RELEASED = "released"  # a held item, handed to its queue when it opened


class TimeSource(StrEnum):
    """Where an item's created_at came from."""

    PLATFORM = "platform"  # the platform's own creation timestamp
    DELIVERY = "delivery"  # the platform gave none: the webhook entry/delivery time
