"""Small helpers for the member-network tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.pdfs import tiny_pdf

PDF_BYTES = tiny_pdf()


def pdf_upload(name="antrag.pdf", data=PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def png_bytes(width=40, height=20, color=(11, 79, 108)):
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def application_data(**overrides):
    """Keyword arguments of ``services.submit_application`` (and the public form)."""
    data = {
        "municipality_name": "Neustadt an der Weinstraße",
        "kind": "kreisfreie_stadt",
        "district": "",
        "ags": "07316000",
        "head_of_administration": "Oberbürgermeister Marc Weigel",
        "website": "https://www.neustadt.eu",
        "contact_first_name": "Clara",
        "contact_last_name": "Neu",
        "contact_email": "clara.neu@neustadt.example",
        "contact_phone": "06321 855-0",
        "contact_position": "Digitalbeauftragte",
        "message": "",
    }
    data.update(overrides)
    return data
