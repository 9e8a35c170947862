"""Documents to PDF with WeasyPrint, in the bundled Liberation Serif and nothing else.

The fonts come from static/fonts/liberation through @font-face, so a PDF never depends on the fonts installed on
the server, and the URL fetcher refuses every other address: rendering reads no network and no other file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

FONT_FILES = {
    "regular": "fonts/liberation/LiberationSerif-Regular.ttf",
    "bold": "fonts/liberation/LiberationSerif-Bold.ttf",
    "italic": "fonts/liberation/LiberationSerif-Italic.ttf",
    "bold_italic": "fonts/liberation/LiberationSerif-BoldItalic.ttf",
}


@lru_cache(maxsize=1)
def font_urls() -> dict[str, str]:
    urls = {}
    for style, path in FONT_FILES.items():
        found = finders.find(path)
        if not found:
            raise ImproperlyConfigured(f"The font {path} is missing from the static files.")
        urls[style] = Path(found).resolve().as_uri()
    return urls


def _fetcher():
    from weasyprint.urls import URLFetcher

    allowed = set(font_urls().values())

    class BundledFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url.split("?")[0] not in allowed:
                raise ValueError(f"Documents may only load the bundled fonts, not {url}")
            return super().fetch(url, headers)

    return BundledFontsOnly(allowed_protocols={"file"})


def document_html(document) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            document.template,
            {"document": document, "fonts": font_urls(), "demo_mark": _("DEMONSTRATION COPY")},
        )


def render_pdf(document) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = HTML(
        string=document_html(document), url_fetcher=_fetcher(), base_url=settings.BASE_DIR.as_uri() + "/"
    )
    rendered = html.render(font_config=FontConfiguration())
    return rendered.write_pdf(), len(rendered.pages)
