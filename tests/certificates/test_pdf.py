import re
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter
from pypdf import PdfReader

from certificates.claims import Signatory
from certificates.pdf import hours_en, hours_ka, render
from tests.certificates.samples import SERIAL, URL, png, sample_claims


@pytest.fixture(scope='module')
def pdf():
    return render(sample_claims(), SERIAL, URL, invariant=True)


@pytest.fixture(scope='module')
def text(pdf):
    return PdfReader(BytesIO(pdf)).pages[0].extract_text()


def _page(pdf, dpi):
    result = subprocess.run(
        ['pdftoppm', '-r', str(dpi), '-png', '-singlefile', '-'],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return Image.open(BytesIO(result.stdout)).convert('L')


def test_the_text_holds_both_names_the_serial_and_the_address(text):
    for words in (
        'ნინო გელაშვილი',
        'Nino Gelashvili',
        SERIAL,
        'სერტიფიკატი',
        'CERTIFICATE OF COMPLETION',
        'დასრულების სერტიფიკატი',
        'მონაწილეობითი ბიუჯეტირება',
        'Participatory Budgeting',
        f'Verify at: {URL}',
        f'გადაამოწმეთ: {URL}',
        '2025 წლის 3–7 მარტი',
        '3–7 March 2025',
        'Valid until 12 March 2027',
        'ძალაშია 2027 წლის 12 მარტამდე',
        'Tamar Beridze',
        'თამარ ბერიძე',
    ):
        assert words in text, words


@pytest.mark.parametrize(
    ('kind', 'ka', 'en'),
    [
        ('training', 'დასრულების სერტიფიკატი', 'CERTIFICATE OF COMPLETION'),
        ('seminar', 'მონაწილეობის სერტიფიკატი', 'CERTIFICATE OF PARTICIPATION'),
        ('conference', 'მონაწილეობის სერტიფიკატი', 'CERTIFICATE OF PARTICIPATION'),
        ('forum', 'მონაწილეობის სერტიფიკატი', 'CERTIFICATE OF PARTICIPATION'),
    ],
)
def test_the_kind_of_event_names_the_certificate(kind, ka, en):
    pdf = render(sample_claims(course_kind=kind, valid_until=None), SERIAL, URL)
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert ka in text and en in text
    assert 'Valid until' not in text and 'ძალაშია' not in text


def test_the_page_is_a4_landscape(pdf):
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    assert abs(float(box.width) - 842) <= 1 and abs(float(box.height) - 595) <= 1


def test_every_font_is_embedded_as_a_subset_and_helvetica_never_appears(pdf):
    fonts = PdfReader(BytesIO(pdf)).pages[0]['/Resources']['/Font']
    assert len(fonts) == 4  # Noto Serif and Noto Serif Georgian, regular and bold
    for font in fonts.values():
        font = font.get_object()
        descriptor = font['/FontDescriptor'].get_object()
        assert any(key in descriptor for key in ('/FontFile', '/FontFile2', '/FontFile3'))
        assert re.fullmatch(r'/[A-Z]{6}\+Noto.*', font['/BaseFont'])
    assert b'Helvetica' not in pdf


def test_no_glyph_sits_on_a_control_code(pdf):
    """poppler does not draw codes 1-31 of these subsets: letters there would vanish."""
    fonts = PdfReader(BytesIO(pdf)).pages[0]['/Resources']['/Font']
    for font in fonts.values():
        cmap = font.get_object()['/ToUnicode'].get_object().get_data().decode('latin-1')
        pairs = re.findall(r'<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>', cmap)
        letters = {int(code, 16) for code, char in pairs if char not in ('0000', '0020')}
        assert letters and min(letters) >= 33, font.get_object()['/BaseFont']


def test_the_metadata_is_filled_in(pdf):
    meta = PdfReader(BytesIO(pdf)).metadata
    assert 'Nino Gelashvili' in meta.title and 'ნინო გელაშვილი' in meta.title
    assert 'Civic Participation Academy' in meta.author
    assert 'Participatory Budgeting in Municipalities' in meta.subject
    assert SERIAL in meta['/Keywords'] and 'PB-101' in meta['/Keywords']
    assert meta.creator == 'Academy LMS'


def test_an_invariant_render_is_byte_identical(pdf):
    assert render(sample_claims(), SERIAL, URL, invariant=True) == pdf


def test_the_file_is_small(pdf):
    assert len(pdf) <= 100_000


def test_logo_and_signature_images_are_drawn_and_the_file_stays_small():
    logo = png(240, 80, lambda d: d.rectangle([5, 5, 75, 75], fill=(11, 92, 122, 255)))
    signature = png(
        300, 90, lambda d: d.line([(10, 70), (90, 20), (290, 50)], fill='navy', width=4)
    )
    pdf = render(sample_claims(), SERIAL, URL, logo=logo, signature_images=[signature, None])
    page = PdfReader(BytesIO(pdf)).pages[0]
    assert len(page.images) == 2  # the logo and one signature
    assert len(pdf) <= 100_000


def test_long_texts_and_three_signatories_still_render():
    claims = sample_claims(
        holder_name_ka='ალექსანდრე-გიორგი ჯავახიშვილ-მუხრან-ბატონიშვილი',
        holder_name_en='Aleksandre-Giorgi Javakhishvil-Mukhran-Batonishvili',
        course_title_en='Introducing and Monitoring Citizen Participation Mechanisms in Local '
        'Self-Government Bodies: A Practical Guide for Municipal Civil Servants',
        place_en='Batumi, Assembly Hall of the Supreme Council of the Autonomous Republic',
        signatories=(
            *sample_claims().signatories,
            Signatory('ეკატერინე ლომიძე', 'Ekaterine Lomidze', 'კოორდინატორი', 'Coordinator'),
        ),
    )
    text = PdfReader(BytesIO(render(claims, SERIAL, URL))).pages[0].extract_text()
    assert 'Ekaterine Lomidze' in text and 'Autonomous' in text and 'Guide' in text


def test_the_qr_code_decodes_to_the_url_from_the_page_at_150_dpi(pdf):
    barcodes = zxingcpp.read_barcodes(_page(pdf, 150))
    assert [b.text for b in barcodes] == [URL]


def _phone_photo(page, *, scale, angle, blur, quality):
    """A printout photographed by hand: tilted, not quite parallel, soft, grey, JPEG."""
    image = page.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=190)
    width, height = image.size
    skew = 0.03 * width
    image = image.transform(
        (width, height),
        Image.QUAD,
        (skew, 0, 0, height, width, height, width - skew, 0),
        resample=Image.BICUBIC,
        fillcolor=190,
    )
    image = ImageEnhance.Contrast(image).enhance(0.75)
    image = image.filter(ImageFilter.GaussianBlur(blur))
    image = image.resize((int(width * scale), int(height * scale)), Image.BILINEAR)
    buffer = BytesIO()
    image.save(buffer, 'JPEG', quality=quality)
    return Image.open(BytesIO(buffer.getvalue()))


def test_the_qr_code_survives_a_phone_photo_of_a_printout_with_glare(pdf):
    page = _page(pdf, 150)
    [barcode] = zxingcpp.read_barcodes(page)
    corners = barcode.position
    left, top = corners.top_left.x, corners.top_left.y
    side = corners.top_right.x - left
    # a patch of glare over the middle of the symbol, some 7% of its modules
    ImageDraw.Draw(page).ellipse(
        [left + 0.35 * side, top + 0.38 * side, left + 0.75 * side, top + 0.62 * side], fill=245
    )
    # the whole page in about 700 pixels, blurred and compressed
    photo = _phone_photo(page, scale=0.4, angle=4, blur=1.5, quality=40)
    assert [b.text for b in zxingcpp.read_barcodes(photo)] == [URL]


def test_hours_in_both_languages():
    assert (hours_ka(Decimal('24')), hours_en(Decimal('24'))) == ('24 საათი', '24 hours')
    assert (hours_ka(Decimal('7.50')), hours_en(Decimal('7.5'))) == ('7,5 საათი', '7.5 hours')
    assert hours_en(1) == '1 hour'
