"""Files that pretend, hide or explode: for every upload field."""

import struct
import zipfile
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def picture(size=(1600, 900), fmt="JPEG", **options):
    buffer = BytesIO()
    Image.new("RGB", size, (40, 80, 120)).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data))
    )


def png_bomb(width=30_000, height=30_000):
    """A PNG of about 100 KB that declares (and holds) width × height pixels."""
    row = b"\0" * (1 + (width + 7) // 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height))
    pixels += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def zip_archive():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        archive.writestr("index.html", SCRIPT)
    return buffer.getvalue()


def jpeg_with_exif(exif_bytes, size=(1600, 900)):
    """A JPEG whose APP1 segment holds `exif_bytes` as they are."""
    plain = picture(size)
    segment = b"Exif\0\0" + exif_bytes
    app1 = b"\xff\xe1" + struct.pack(">H", len(segment) + 2) + segment
    return plain[:2] + app1 + plain[2:]


def tiff_header_with_orientation(value_type, count, value):
    """EXIF data with one orientation entry of any type, count and value."""
    entry = struct.pack("<HHI4s", 0x0112, value_type, count, value)
    return b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 1) + entry + b"\0" * 4


NOT_IMAGES = {
    "text.jpg": b"Kein Bild, nur Text.",
    "dokument.jpg": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF",
    "seite.jpg": SCRIPT,
    "leer.jpg": b"",
    "grafik.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(1)</script></svg>",
    "grafik.jpg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script>'
    b"</svg>",
    "archiv.png": zip_archive(),
}


def not_images():
    return {
        name: SimpleUploadedFile(name, content) for name, content in NOT_IMAGES.items()
    }


def damaged(size=(1600, 900)):
    """Images that start well and then break or lie."""
    whole = picture(size)
    png = picture(size, "PNG")
    return {
        "abgeschnitten.jpg": whole[: len(whole) // 3],
        "ohne-ende.png": png[:-20],
        "kaputte-pruefsumme.png": png[:29] + b"\0\0\0\0" + png[33:],
    }


def polyglots(size=(1600, 900)):
    """Valid images with something else appended, by name."""
    return {
        "gif-mit-html.gif": picture(size, "GIF") + SCRIPT,
        "jpeg-mit-html.jpg": picture(size) + SCRIPT,
        "png-und-zip.png": picture(size, "PNG") + zip_archive(),
        "gifar.gif": picture(size, "GIF") + zip_archive(),
        "png-heisst-jpg.jpg": picture(size, "PNG") + SCRIPT,
    }


def odd_exif(size=(1600, 900)):
    """Good pictures whose EXIF data is broken, oversized or nonsensical."""
    return {
        "riesiges-exif.jpg": jpeg_with_exif(b"II*\0" + b"\xff" * 65_000, size),
        "exif-unsinn.jpg": jpeg_with_exif(
            b"MM\0*\xff\xff\xff\xff" + b"\x01" * 64, size
        ),
        "drehung-9.jpg": jpeg_with_exif(
            tiff_header_with_orientation(3, 1, struct.pack("<H", 9) + b"\0\0"), size
        ),
        "drehung-als-text.jpg": jpeg_with_exif(
            tiff_header_with_orientation(2, 4, b"six\0"), size
        ),
        "drehung-ins-leere.jpg": jpeg_with_exif(
            tiff_header_with_orientation(3, 0x7FFFFFFF, struct.pack("<I", 0xFFFFFF00)),
            size,
        ),
    }
