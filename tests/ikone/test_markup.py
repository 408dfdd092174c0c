from ikone.markup import render_markdown


def test_the_page_heading_stays_the_only_h1():
    assert render_markdown("# Titel\n\n## Abschnitt") == "<h2>Titel</h2>\n<h2>Abschnitt</h2>"


def test_headings_move_below_the_section_heading_when_asked():
    html = render_markdown("# Protokoll", heading_offset=1, min_heading=3)
    assert html == "<h3>Protokoll</h3>"


def test_images_only_where_allowed():
    source = "![Laterne](https://example.org/l.jpg)"
    assert "<img" not in render_markdown(source)
    assert '<img alt="Laterne" src="https://example.org/l.jpg">' in render_markdown(
        source, images=True
    )


def test_links_get_noopener_and_scripts_vanish():
    html = render_markdown("[IKONE](https://ikone-ds.de) <script>alert(1)</script>")
    assert 'rel="noopener noreferrer"' in html
    assert "<script" not in html
