from meetings.templatetags.meetings_tags import markdown as render_markdown


def test_minutes_markdown_keeps_structure_and_drops_scripts_and_handlers():
    html = render_markdown(
        "## Ergebnisse\n\n- **Rundschreiben** an alle\n\n"
        '<img src=x onerror="alert(1)"> [Link](javascript:alert(1)) [IKONE](https://ikone-ds.de)'
        "\n\n<script>alert(2)</script>"
    )

    assert "<h3>Ergebnisse</h3>" in html
    assert "<li><strong>Rundschreiben</strong> an alle</li>" in html
    assert "onerror" not in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert 'href="https://ikone-ds.de"' in html
