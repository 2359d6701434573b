"""The district's default media uses (R132), in the order forms show them.

Uses are district configuration (design.md §3 rule 3): the data migration seeds this set into
`MediaUse`, and a district may relabel, reorder, deactivate or add uses. The labels here are
translated (gettext_lazy); `MediaUse.display_label` shows the translation while the district
keeps the default English label, and the district's own wording once it changes it.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (key, label, description)
DEFAULT_USES: tuple[tuple[str, Promise, Promise], ...] = (
    (
        "internal_displays",
        _("Internal classroom displays and cubby labels"),
        _("Photos on classroom displays, bulletin boards, cubby and locker labels."),
    ),
    (
        "portfolios",
        _("Portfolios"),
        _("Learning portfolios, including the district's digital portfolio platforms."),
    ),
    (
        "student_voice",
        _("Student voice recordings"),
        _("Audio recordings, interviews and podcasts of the student's voice."),
    ),
    (
        "work_internal",
        _("Student work shown internally"),
        _("Art, writing and projects displayed inside the school."),
    ),
    (
        "work_external",
        _("Student work published externally"),
        _("Art, writing and projects published outside the school, on the web or in print."),
    ),
    (
        "photo_web_no_name",
        _("Photo or video without a name on the school and district website and social media"),
        _("The student may appear in photos or video, never with their name."),
    ),
    (
        "name_with_photo",
        _("Name with photo"),
        _("The student's name shown with their photo, with awards and achievements."),
    ),
    (
        "newsletters",
        _("Newsletters and publications"),
        _("Printed and electronic school and district publications and newsletters."),
    ),
    (
        "district_social_media",
        _("Official district social media"),
        _("The district's and schools' official social media accounts."),
    ),
    (
        "student_news_tv",
        _("Student news and local access TV"),
        _("Student-produced media and the local cable access channel."),
    ),
    (
        "outside_news_media",
        _("Outside news media"),
        _(
            "Newspapers, radio, television and online news, which may publish the full name; "
            "the district cannot control their editing or reuse."
        ),
    ),
    (
        "field_trips",
        _("Field trips and off-site events shared with families"),
        _("Photos of field trips and off-site activities shared with the families taking part."),
    ),
    (
        "yearbook_team_photos",
        _("Yearbook and team photos"),
        _("Yearbook, team and activity group photos."),
    ),
    (
        "educator_preparation",
        _("Video for educator preparation"),
        _("Classroom video for evaluating student teachers, destroyed after review."),
    ),
    (
        "special_program_identification",
        _("Identification of disability or special-program participation"),
        _("Any media that identifies a disability or participation in a special program."),
    ),
)

LABELS: dict[str, Promise] = {key: label for key, label, _d in DEFAULT_USES}
DESCRIPTIONS: dict[str, Promise] = {key: text for key, _l, text in DEFAULT_USES}
