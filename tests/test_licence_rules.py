"""Licence rules of the outcome instruments: the ODI 2.1a is copyrighted (Fairbank/Mapi), so
no ODI statement may stand anywhere in the repository or in a page the app renders.

The statements are not written here either: the test keeps the SHA-256 of each normalised
statement (split the way the scan splits text, fragments of five words or more) and hashes
every sentence of every tracked text file and of the rendered ODI pages. The RMDQ-24's
statements are not shipped either: its form asks for the total only.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from conftest import csrf_token
from intake_helpers import client_id, new_client
from measure_helpers import EN, ODI_ALL, desk_page, record_at_desk

ROOT = Path(__file__).resolve().parent.parent
MIN_WORDS = 5
TEXT_SUFFIXES = {".py", ".html", ".md", ".txt", ".po", ".pot", ".toml", ".cfg", ".js", ".css",
                 ".json", ".yml", ".yaml", ".svg", ".csv", ".ini", ".sh", ""}

# SHA-256 of the normalised ODI 2.1a statements (British and common variants of the wording).
ODI_STATEMENTS = {
    "05d67fdd960962a2612888a0ded242ab5f5bb409929e572fbc77ac5a6a9f0496",
    "068c05373593ffbb7cb9207d96c6921be4526092630e211bf36d95bcde5b93b5",
    "077be45b8f533270bd0d2fbc439a57f7c152d8f4a4753e7c334c022acc2444a3",
    "0a12b486db96f7ef318e4c5da1f026efcaa9255a40d62d4389e39d8a435e048c",
    "17746c474923e46512f24db81e888fc3fdf531c34039200b64b1dc16db18b96b",
    "17ae32fa0b5a9e62bd1aa7a0ccae557c27b3fd276d2cd25d14ab3a83154a86a2",
    "2144f07a23574e5f2539ea2c264f86822612feb37de22b435622e899ad9b25e9",
    "21cfd7bdf757dd8dc70e6d2805859651c8bf6cecb79e01f920362fe0a8fbf2f7",
    "2237b78444b051500fadd8c0fcedd1a2dd77eea073ac22f4eef0e52e600a0a29",
    "241a0531db0c3c56724b882ab7df10557af548eadc9637538b83f55c98d23734",
    "24d832e16d5aa9f9cb68e9af22cfa2e6a343846107f87072782f225573f9a336",
    "27443824f208be193ac4bbaf4bed922d1b63477620317d8a63bc13315bb38369",
    "2826379445ffaf9a6e99250c5befc0a9e8fe1df39f1c5d6fc0184d387f946bd2",
    "2a690210b60baf3506924fc835bb365a79a6371f1a6368f7cab59eaca739634b",
    "2e2dc1523dcee00d4db1470281d0f39a346647dbefa2bb97501941e5e6ee5a20",
    "2f7f85196b2b74c0d558bea6912b052bd69a026a617a1b2147590e2701c659ac",
    "30b36620224ac21330c3f592b4ef0e3d47cc9d39ed5dd5f503430ae7a1e53a9c",
    "3a6e97f7361542a0f2f7bb018e64a611ca059c9dcb38960c032a6da054b2b4a3",
    "3c1ba93db0bb17193a47e0b1da5490d5d5543e2f42012fa119295ae167fb60fd",
    "439ad35b253a6a54aac38a4e86c4c6e2d228eca10890ba0d51065a03b94e112c",
    "4617bfc3651641cb8d4250caaed7c85823e5cb638488e7fced5f6faa4c52263e",
    "467e8a9c47b0e246ce6fd71f0ca56a75fec49f62d6b0e9bff106a7e2e05b52cf",
    "488724678558f212696151a27176bba73f07744056edf963f306cb37c6bffd99",
    "4ce6de2ec564ad357cb4c0c85d2afd316dcb40c070fc34c14d43a4b15f4b0f29",
    "524e61518a8805461d8c57bf25fa7758eb55b9a2b723c38551148c7a36a9ac45",
    "52815bfb6e75804169987013601b14eeb3fd061853bf31de425211057262b360",
    "5685ea6c976a4eaacd993296f4bd7f14b39f7808a622e9c43d74cc722aeb2fe4",
    "5ea36a80f19db5825324988311302059763c43ed1ab44f2b37108e116c1381f8",
    "5eb5882907a32333928ba45484d3c000729dc4eef4bb3cabe6b51937f8c23f53",
    "603d3221cf0a81027d1102bd31235637f2038c85ce86080eb0a90c53a5c7cb79",
    "63bc877e548e270bd6cf52ecd70759347ef8bf6a81bb12a48dc840614fbf378b",
    "68cb9980138b7298f936a1ccddffd9d2b654bc904d660b5b5adc983607ecc2b6",
    "6becfa3761bf38fcd258e92aca2039e9aad34dae3a55c8622e1eca5cd0ca48f2",
    "701b826c82c9e8197b6cb817d72e77791903268cfab6e434a45245eae0a6cd14",
    "786e9aef75dbf3218cc83b77f11d2f4e07dd2df15de57062fe4964c2e3777f38",
    "78a3a7ade63e99accc72d7a3de5c5a98e9c2a9dac8dc22ce71632acaa577317e",
    "7a996adc1e37f77e55709b0dd06444668945b0074c2fc1ced6c2209822343e5b",
    "7b3bad9d2802567ee6d2b5f09470b4439fb9f830cdb4d2f73157826e91b4e438",
    "7d53749bc1bba9674f2585a1d741cf96ce126b1cf913a7fd1103c84ddf3999aa",
    "84399d70bcef89a96bb4cd6d1dd6c3783977ece4079b872f7c542da9cbdd4af9",
    "87b816955fee152efb3a4e63d0f4af595b5b4bdfd077b8d9954f4dc67f645411",
    "896c3bc81ff343c151373c1addafa40279628e52a5a5c2aa65e0db8e4c55a378",
    "89a8c99abcb97d974c036143a509d42201d8b37f9d2d6287adbdbd154fe1e7a1",
    "89d0116aa6656611479e69e813692bf1c66c0d0ae75ea372572dd9497907e05b",
    "91fe626fcd0ad63d747ebdc038a465531cb767d809b2f571f2e4b762b9b1e077",
    "92e0494e6ae758c39ad364089d1a469e39088d81831d1c4935252ebed1634fcb",
    "9318b0df1ab8c91634c5af9c53a8ab96b980c3a4e4bc39adc7d94ddcd9d13082",
    "93523c71793ccf42a15a1a1223c864145a818f132115f04630cbe3d5912d49f1",
    "94034f3972714429493e2f78c3a25c424c4c8a553ca8d31aaf8abb40590044a6",
    "9606761392d53ac9ba57fb67b83157e97505bf93ce1c71371d2aac82e3736b48",
    "984e4c8721d4726fe7b582061e7ddea12124534df1422e7a9670d24bdaf4fd93",
    "98890f36c523145996d15f293a7e9ff0103fea04f7305003fe0dd77a35366fa8",
    "9ea9e6af951f903fca2b30a31c6c5cf4c6b165b0c5c0919c5269a4a5c4a28da6",
    "a14db77904db938be584d0b32cc60dd351cef9fcff1cfe4e3c1f49ef86ddebea",
    "a1c5c377b0a5f1aff2a4bf818c00f25fd2669e67f3cae29f865f5d2ec07ca7c4",
    "a6f419780b10b4b796976cc7d4e1497a3a89c2b41a52cb32e524e99ab2c751fc",
    "aee8fba32d44664256b0d5949e9484e246251db029b6e06f0e78759fe5a711e5",
    "b066cfd2415ed60c556a705f53b72338cc53d68f3aa35fa99ba55e8fe63cdc6a",
    "b403ff8b802e0188b1fc435ad999e34f4f498688c0c20476c73f0211f7d746bb",
    "b57c93d6115a365235a76f61a574fded9fdf8d84737c9b53822c7317a0109bb2",
    "b678974386b54f1003539fd55ac32d877a77194c086af316214c5e2369bafe2f",
    "bd60ef41b951f3bca6b4aa4c365e54bdedea6e5e02770653ceeb428215357e2e",
    "bd6440d4b9553b4613944f75010c79260ebbb00faf97300f82644978f631d3f1",
    "bf42a80400132fd46b2728a47d32a40393e0123bf842ab21df30281c3e9ae1fe",
    "c3aefb73ae0810968f382f413760c1589b52b30c1010da9cf55d83021cd33c3f",
    "c475a8864a2028abf3dc65de4c197ac63e9c90c49869e3307c80b3b8ab3912c4",
    "cd51364ebef8040832b0ade2329fdfc164d9b6776e3c2cc2a8a175a46aa088dc",
    "cf59ac4a42fc2e42deddc5cc27cd5a825014de2a30d34612677719fe611989c9",
    "d0392544fba9386b57b4812bdc11e89f8fd74f248a0203cf747769416e10654f",
    "d4829287101e555826b34003bd0417d69c4674568e346f46ee12958a0c3b3618",
    "d4d788e2989e14fd431dce71dadf10a8b0c3d688aee6b5e878ce0a655a11e9df",
    "d77dad7de9c8a916f7822a876be7fe450832f5d0afaf19a035d84ea731f0e9c0",
    "db6b02a90a3a184eaacf03e7d0be26538d07681ce25a12fde1a6795c1081837d",
    "dc6c8adcb5d6a0c451adf8e0de43cd5b481fb7c05bc1743aa6143c80acf2e319",
    "e15846554118db9a57a67ea69b4161a1fe7fa555269df6791d6ba1d91e97f3c8",
    "e5c81e50b6b4d69bf12f8c3eb540d801c22c36f5ee8fdb7e86bd721228211888",
    "e7588c6935932433ec53867b02bf343c169a0f0656500798056730e7f178f985",
    "e83d74e6886746c1483c236579cde70eb9130a9831719f17e4c728d2de9479b8",
    "ea5f04f846dd74c9543f1da3264734bf402ba3f0971534ab67a23f24a88b6250",
    "ea6cd046ae154b3bc2dc1302607b76387ef3aff9cd38931658ec52c033f4fa5a",
    "ee7f7e05cf445db18a4ce09de0816f20502ce6f50bcb251088265440ef8898e2",
    "f16dc05f2b6dc634c7a450bbd4ac68766fb9b43a4d0fde7c78c7d969c28186ae",
    "f26623e65c077f6a7b40cf976feb24d3a6798ac43d3354835368f787cdc54e8d",
    "f2fba1ce0629a6d4f5449c5fd405e2520e9271c718725ee889ee00708001d891",
    "f80aa1a89801ce52473981ec52cc661232d02885a20dbcf2458777a40155693f",
    "f867edfc679830588cb4ec6b4369a0c24364f0de328468ef93441560b7096a1f",
    "f9f82ab1eeb26f597bb6451318373981d140147c2d5d6cce6de7784ccfb18947",
    "faf4845baad4fc7c98b14e938ad4d9f6f0ae0a04cadd34bea0eaf70b1be03aea",
    "fcd1c4ecb8ff9221fb7b7441665f4fc3fbeba6d6e5a017b53d14f795d2d9ae13",
}


def normalise(text: str) -> str:
    """Lower case, letters and digits only, one space between words."""
    text = text.lower().replace("’", "'").replace("'", "")
    return " ".join(re.findall(r"[a-z0-9/]+", text))


def pieces(text: str) -> list[str]:
    """The sentence fragments of ``text`` worth comparing: split at tags, line ends and
    sentence marks, normalised, five words or more."""
    text = re.sub(r"<[^>]+>", "\n", text)
    found = []
    for part in re.split(r"[\n.!?;:\"“”„()\[\]{}|]+", text):
        words = normalise(part)
        if len(words.split()) >= MIN_WORDS:
            found.append(words)
    return found


def digest(piece: str) -> str:
    return hashlib.sha256(piece.encode()).hexdigest()


def odi_sentences_in(text: str) -> list[str]:
    return [p for p in pieces(text) if digest(p) in ODI_STATEMENTS]


def test_the_hashes_are_of_odi_statements_and_the_scan_finds_them():
    assert len(ODI_STATEMENTS) >= 60
    # A statement-like sentence of our own (not ODI's) is not in the set, and the splitting
    # is the one the hashes were made with.
    assert not odi_sentences_in("The pain is a little better today than at the last visit.")
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in ODI_STATEMENTS)


def tracked_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    return [ROOT / name for name in listed if name and (ROOT / name).suffix in TEXT_SUFFIXES]


def test_no_odi_statement_anywhere_in_the_repository():
    found = {}
    files = tracked_files()
    assert len(files) > 100
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        hits = odi_sentences_in(text)
        if hits:
            found[str(path.relative_to(ROOT))] = len(hits)
    assert found == {}, f"ODI statements (copyrighted) found: {found}"


def test_no_odi_or_rmdq_statement_in_the_rendered_pages(app, admin_client):
    cid = client_id(new_client(admin_client))
    record_at_desk(admin_client, cid, "odi", ODI_ALL)
    pages = [desk_page(admin_client, cid, key) for key in ("odi", "rmdq")]
    for language in ("en", "de"):
        headers = {"Accept-Language": language}
        admin_client.post("/language", data={"csrf_token": csrf_token(pages[0]),
                                             "language": language})
        client_page = admin_client.get(f"/clients/{cid}", headers=headers).get_data(as_text=True)
        score = re.search(rf"/clients/{cid}/measures/(\d+)", client_page).group(1)
        for path in (f"/clients/{cid}", f"/clients/{cid}/measures/new/odi",
                     f"/clients/{cid}/measures/{score}", f"/clients/{cid}/measures/{score}/correct",
                     f"/clients/{cid}/visits/new"):
            html = admin_client.get(path, headers=headers).get_data(as_text=True)
            assert not odi_sentences_in(html), path
            pages.append(html)
    odi_form = desk_page(admin_client, cid, "odi")
    # Section numbers only: the ten inputs carry no words of the form.
    labels = re.findall(r'<label for="odi\d+">([^<]*)</label>', odi_form)
    assert len(labels) == 10 and all(re.fullmatch(r"(Section|Abschnitt) \d+", l) for l in labels)
    rmdq_form = desk_page(admin_client, cid, "rmdq")
    assert rmdq_form.count('type="checkbox"') == 0  # the total only, never the statements
    assert EN
