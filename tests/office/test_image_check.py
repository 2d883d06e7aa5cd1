"""The office takes a file a visit cites only if it decodes as an image (logic/files.image_problem):
a photo cut short or a signature with a damaged chunk is refused with the reason the laptop shows."""

from __future__ import annotations

import io
import random
import struct

from PIL import Image

from inspector_app.central.logic.files import image_problem


def _jpeg() -> bytes:
    rng = random.Random(7)
    small = Image.frombytes("RGB", (64, 48), bytes(rng.getrandbits(8) for _ in range(64 * 48 * 3)))
    out = io.BytesIO()
    small.resize((1024, 768)).save(out, "JPEG", quality=85)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (120, 48), 200).save(out, "PNG")
    return out.getvalue()


def test_a_whole_photo_and_a_whole_signature_are_images(tmp_path):
    for name, data in (("photo.jpg", _jpeg()), ("sig.png", _png())):
        path = tmp_path / name
        path.write_bytes(data)
        assert image_problem(path, "ab" * 32) is None


def test_a_photo_cut_short_is_refused_though_its_header_is_whole(tmp_path):
    path = tmp_path / "cut.jpg"
    path.write_bytes(_jpeg()[:-4000])
    problem = image_problem(path, "ab" * 32)
    assert problem is not None and "不是可识别的图片" in problem and str(tmp_path) not in problem


def test_a_signature_whose_chunk_checksum_fails_is_refused_though_its_pixels_decode(tmp_path):
    data = bytearray(_png())
    idat = data.index(b"IDAT")
    (length,) = struct.unpack(">I", data[idat - 4 : idat])
    data[idat + 4 + length] ^= 0xFF  # the chunk's CRC: the pixels still decode, the file is damaged
    path = tmp_path / "sig.png"
    path.write_bytes(bytes(data))
    problem = image_problem(path, "ab" * 32)
    assert problem is not None and "不是可识别的图片" in problem
