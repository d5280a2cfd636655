"""Issue 17: with ``--workers N`` each worker reads its own byte range of a CSV, and the output is
byte for byte the one-worker output, whatever the file's quotes, blank lines and line ends.

The reader-level property checks the foundation: a chunk read on its own from the line where the
previous chunk stopped is the chunk the file read from the start gives. The scoring-level tests
check the parent: its guesses of where chunks start may be wrong (a stray quote), and a wrong guess
must never reach the output, also not after a crash.
"""

from __future__ import annotations

import json
from concurrent.futures import Future

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brandrep.io import iter_table_chunks
from brandrep.io.reading import chunk_ranges, read_byte_range
from brandrep.sentiment import scoring

PIECES = ["门锁坏了", "x", "1", ",", '"', '""', " ", "\u3000", "，", "售后"]
ENDINGS = ["\n", "\r\n", "\r"]


@st.composite
def hostile_csv(draw):
    """A small CSV whose lines mix quotes (stray, doubled, closing on later lines), blank and
    whitespace-only lines, Chinese text and all three line ends."""
    lines = draw(st.lists(st.lists(st.sampled_from(PIECES), max_size=5).map("".join), min_size=1, max_size=14))
    endings = draw(st.lists(st.sampled_from(ENDINGS), min_size=len(lines) + 1, max_size=len(lines) + 1))
    header = draw(st.sampled_from(["id,text", "text", "id,text,note"]))
    text = header + endings[0] + "".join(line + end for line, end in zip(lines, endings[1:]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return text.encode(encoding), header.split(",")


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=hostile_csv(), chunk_size=st.integers(1, 5))
def test_a_chunk_read_from_where_the_previous_stopped_is_the_chunk_read_from_the_start(tmp_path, case, chunk_size):
    data, header = case
    path = write(tmp_path, "h.csv", data)
    serial = list(iter_table_chunks(path, required=("text",), dedupe=False, chunk_size=chunk_size))
    ranges = chunk_ranges(path, required=("text",))
    assert ranges is not None
    line, offset = ranges.first_line, ranges.first_offset
    for chunk in serial:
        alone = read_byte_range(ranges, chunk.chunk, line, offset, chunk_size)
        assert (alone.start_line, alone.next_line) == (chunk.start_line, chunk.next_line) and line == chunk.start_line
        pd.testing.assert_frame_equal(alone.frame, chunk.frame)
        pd.testing.assert_frame_equal(alone.rejects, chunk.rejects)
        assert alone.accounting == chunk.accounting
        offset = ranges.offset_of(chunk.next_line, line, offset)
        line = chunk.next_line
    assert offset >= ranges.size or read_byte_range(ranges, len(serial), line, offset, chunk_size) is None


class InlinePool:
    """An executor that runs each job at once in this process: the parent's bookkeeping (guesses,
    checks, reading again) under test without the cost of starting processes per example."""

    def __init__(self):
        self.jobs = 0

    def submit(self, function, *args):
        self.jobs += 1
        future = Future()
        try:
            future.set_result(function(*args))
        except BaseException as error:  # noqa: BLE001 - handed to the caller, as a pool does
            future.set_exception(error)
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        pass


@pytest.fixture
def inline_pool(monkeypatch):
    pool = InlinePool()
    monkeypatch.setattr(scoring, "_process_pool", lambda workers: pool)
    return pool


def outputs(out) -> list[bytes]:
    stem = out.with_suffix("")
    return [out.read_bytes(), (stem.parent / f"{stem.name}.rejects.csv").read_bytes(),
            (stem.parent / f"{stem.name}.accounting.json").read_bytes()]


def score(source, out, workers, chunk_size, **options):
    """Score into ``out``, a file name that the accounting names, so compared runs use the same
    name in different folders."""
    out.parent.mkdir(exist_ok=True)
    return scoring.score_file(source, out, "text", workers=workers, chunk_size=chunk_size, progress=False, **options)


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=hostile_csv(), chunk_size=st.integers(1, 4))
def test_workers_reading_their_own_ranges_write_the_one_worker_bytes(tmp_path_factory, inline_pool, case, chunk_size):
    tmp_path = tmp_path_factory.mktemp("ranges")
    source = write(tmp_path, "h.csv", case[0])
    one = score(source, tmp_path / "one" / "out.parquet", 1, chunk_size)
    many = score(source, tmp_path / "many" / "out.parquet", 3, chunk_size)
    assert outputs(tmp_path / "one" / "out.parquet") == outputs(tmp_path / "many" / "out.parquet")
    assert (one.chunks, one.written) == (many.chunks, many.written)


# line 41's stray quote pairs with the quote that opens line 46's field: read by quotes alone,
# lines 41-46 would be one record; the guesses follow the reader's recovery (the first line of a
# record over several lines that is not well-formed is rejected, the rest read again)
STRAY = ('id,text\n' + "".join(f'{i},门锁第{i}次坏了\n' for i in range(1, 40))
         + '40,"引号没有关上\n' + "".join(f'{i},售后不理第{i}天\n' for i in range(41, 45))
         + '45,"指纹, 电池"\n' + "".join(f'{i},售后不理第{i}天\n' for i in range(46, 120)) + "\n\n")
# lines of ideographic spaces are blank to the reader (str.strip) but not to the byte scan, so every
# guess after the first such line is off
WRONG_GUESSES = ('id,text\n' + "".join(f'{i},门锁第{i}次坏了\n' + ("\u3000\n" if i % 13 == 0 else "")
                                          for i in range(1, 120)))


def test_a_stray_quote_does_not_make_the_guesses_wrong(tmp_path, inline_pool):
    source = write(tmp_path, "stray.csv", STRAY.encode("utf-8"))
    score(source, tmp_path / "one" / "out.csv", 1, 10)
    run = score(source, tmp_path / "many" / "out.csv", 2, 10)
    assert outputs(tmp_path / "one" / "out.csv") == outputs(tmp_path / "many" / "out.csv")
    assert inline_pool.jobs == run.chunks  # every chunk read once: no work thrown away


def test_wrong_guesses_are_read_again_and_change_no_byte(tmp_path, inline_pool):
    source = write(tmp_path, "blank.csv", WRONG_GUESSES.encode("utf-8"))
    score(source, tmp_path / "one" / "out.csv", 1, 10)
    run = score(source, tmp_path / "many" / "out.csv", 2, 10)
    assert outputs(tmp_path / "one" / "out.csv") == outputs(tmp_path / "many" / "out.csv")
    assert run.chunks < inline_pool.jobs <= 2 * run.chunks + 4  # read again, but never much more


@pytest.mark.parametrize("rerun_workers", [1, 2])
def test_a_part_read_from_a_wrong_guess_is_never_resumed(tmp_path, monkeypatch, inline_pool, rerun_workers):
    source = write(tmp_path, "blank.csv", WRONG_GUESSES.encode("utf-8"))
    score(source, tmp_path / "reference" / "out.csv", 1, 10)

    def crash(pending, wait):  # killed right after a chunk read from a wrong guess was written
        raise KeyboardInterrupt

    monkeypatch.setattr(scoring, "_discard", crash)
    with pytest.raises(KeyboardInterrupt):
        score(source, tmp_path / "out.csv", 2, 10)
    monkeypatch.undo()
    starts = {c.chunk: c.start_line for c in iter_table_chunks(source, dedupe=False, chunk_size=10)}
    markers = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out.csv.parts").glob("[0-9]*.json")]
    assert any(m["start_line"] != starts[m["chunk"]] for m in markers)  # a part read from a wrong guess is on disk
    monkeypatch.setattr(scoring, "_process_pool", lambda workers: InlinePool())
    score(source, tmp_path / "out.csv", rerun_workers, 10)
    assert outputs(tmp_path / "out.csv") == outputs(tmp_path / "reference" / "out.csv")


HOSTILE_ROWS = 2400


def hostile_file(encoding: str) -> bytes:
    """Complaint rows with what real exports hold: multi-line quoted texts, stray quotes, blank
    lines, a wrong field count, CRLF and CR line ends."""
    lines = ["id,text,brand"]
    for i in range(HOSTILE_ROWS):
        if i % 97 == 0:
            lines.append(f'{i},"门锁坏了\n第二行：售后没人管",小米')
        elif i % 211 == 0:
            lines.append(f'{i},"引号没有关上,小米')
        elif i % 151 == 0:
            lines.append("")
        elif i % 173 == 0:
            lines.append(f"{i},多了一列,小米,多余")
        else:
            lines.append(f"{i},第{i}位用户：指纹识别不了，电池耗电太快,{'小米' if i % 3 else '凯迪仕'}")
    text = "".join(line + ("\r\n" if i % 5 == 0 else "\r" if i % 331 == 0 else "\n") for i, line in enumerate(lines))
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_two_worker_processes_reading_ranges_write_exactly_what_one_writes(tmp_path, encoding):
    source = write(tmp_path, "hostile.csv", hostile_file(encoding))
    for workers in (1, 2):
        score(source, tmp_path / f"parquet{workers}" / "out.parquet", workers, 150, id_column="id")
        score(source, tmp_path / f"csv{workers}" / "out.csv", workers, 150)
    assert outputs(tmp_path / "parquet1" / "out.parquet") == outputs(tmp_path / "parquet2" / "out.parquet")
    assert outputs(tmp_path / "csv1" / "out.csv") == outputs(tmp_path / "csv2" / "out.csv")
    rejects = pd.read_csv(tmp_path / "csv2" / "out.rejects.csv", encoding="utf-8-sig")
    assert rejects["reason"].str.startswith(("unbalanced quote", "wrong field count")).all() and len(rejects) > 10


@st.composite
def parquet_input(draw):
    """A Parquet file's rows: text (sometimes bytes, some not UTF-8, some null), an int id, in row
    groups of any size."""
    n = draw(st.integers(0, 25))
    texts = draw(st.lists(st.sampled_from(["门锁坏了", "售后不理", "", None, "ok 好", b"\xe9\x97\xa8", b"\xff\xfe"]),
                          min_size=n, max_size=n))
    binary = draw(st.booleans())
    if not binary:
        texts = [t.decode("utf-8", "replace") if isinstance(t, bytes) else t for t in texts]
    else:
        texts = [t.encode("utf-8") if isinstance(t, str) else t for t in texts]
    return texts, binary, draw(st.integers(1, 9))


def write_parquet(path, texts, binary, row_group_size):
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({"id": pa.array(range(len(texts)), pa.int64()),
                      "text": pa.array(texts, pa.binary() if binary else pa.string())})
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


@settings(max_examples=80, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=parquet_input(), chunk_size=st.integers(1, 6))
def test_a_parquet_chunk_read_from_its_row_groups_is_the_chunk_read_from_the_start(tmp_path, case, chunk_size):
    path = write_parquet(tmp_path / "p.parquet", *case)
    serial = list(iter_table_chunks(path, required=("text",), dedupe=False, chunk_size=chunk_size, text=("text",)))
    ranges = chunk_ranges(path, required=("text",), text=("text",))
    line, offset = ranges.first_line, ranges.first_offset
    for chunk in serial:
        alone = ranges.read(chunk.chunk, line, offset, chunk_size)
        assert (alone.start_line, alone.next_line) == (chunk.start_line, chunk.next_line)
        pd.testing.assert_frame_equal(alone.frame, chunk.frame)
        pd.testing.assert_frame_equal(alone.rejects, chunk.rejects)
        assert alone.accounting == chunk.accounting
        offset, line = ranges.offset_of(chunk.next_line, line, offset), chunk.next_line
    assert ranges.read(len(serial), line, offset, chunk_size) is None


@settings(max_examples=25, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=parquet_input(), chunk_size=st.integers(1, 4))
def test_workers_reading_parquet_row_ranges_write_the_one_worker_bytes(tmp_path_factory, inline_pool, case, chunk_size):
    tmp_path = tmp_path_factory.mktemp("rows")
    source = write_parquet(tmp_path / "in.parquet", *case)
    score(source, tmp_path / "one" / "out.parquet", 1, chunk_size)
    score(source, tmp_path / "many" / "out.parquet", 3, chunk_size)
    assert outputs(tmp_path / "one" / "out.parquet") == outputs(tmp_path / "many" / "out.parquet")


def test_two_worker_processes_reading_parquet_row_groups_write_exactly_what_one_writes(tmp_path):
    texts = [f"第{i}位用户：指纹识别不了" if i % 13 else (b"\xff" if i % 2 else None) for i in range(3000)]
    texts = [t.encode("utf-8") if isinstance(t, str) else t for t in texts]
    source = write_parquet(tmp_path / "in.parquet", texts, True, 700)
    for workers in (1, 2):
        score(source, tmp_path / f"w{workers}" / "out.parquet", workers, 256)
    assert outputs(tmp_path / "w1" / "out.parquet") == outputs(tmp_path / "w2" / "out.parquet")


@st.composite
def hostile_bytes(draw):
    """A hostile CSV (as above) with, on some lines, bytes that are not the file's code: an
    undecodable byte, or GB18030 text in a UTF-8 file and UTF-8 text in a GB18030 one."""
    data, header = draw(hostile_csv())
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(1, len(lines) - 1)) if len(lines) > 1 else 0
        lines[at] += draw(st.sampled_from([b"\xff", "门锁".encode("gb18030"), "售后".encode("utf-8")]))
    return b"\n".join(lines), header


@settings(max_examples=200, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=hostile_bytes(), chunk_size=st.integers(1, 7), block=st.integers(1, 5), restart=st.integers(1, 3))
def test_reading_a_block_of_lines_at_a_time_changes_nothing(tmp_path, monkeypatch, case, chunk_size, block, restart):
    """The reader's block path (common rows read a block of lines at once) gives the chunks that
    reading record by record gives: rows, line numbers, rejects, repairs and where chunks stop."""
    from brandrep.io import reading

    path = write(tmp_path, "b.csv", case[0])

    def chunks(lines, start):
        monkeypatch.setattr(reading, "FAST_BLOCK_LINES", lines)
        monkeypatch.setattr(reading, "FAST_BLOCK_RESTART", start)
        return list(iter_table_chunks(path, required=("text",), dedupe=False, chunk_size=chunk_size))

    assert_same_chunks(chunks(block, restart), chunks(0, 1))


def assert_same_chunks(by_block, by_record):
    """Chunks read with blocks of lines are those read record by record: rows, line numbers,
    rejects, repairs and where each chunk stops."""
    assert len(by_block) == len(by_record)
    for record, blocked in zip(by_record, by_block):
        pd.testing.assert_frame_equal(blocked.frame, record.frame)
        pd.testing.assert_frame_equal(blocked.rejects, record.rejects)
        assert blocked.accounting == record.accounting
        assert blocked.repairs == record.repairs
        assert (blocked.start_line, blocked.next_line) == (record.start_line, record.next_line)


# Lines without a quote: the reader's blocks of them are cut by Arrow's CSV parser, not the csv
# module; what either could read otherwise is here (other delimiters, NUL, a byte-order mark
# inside the file, characters str.splitlines would break at, blank lines, all three line ends).
PLAIN_PIECES = ["门锁坏了", "x", "1", ",", "\t", ";", "|", " ", "\u3000", "\x00", "\ufeff", "\x85",
                "\u2028", "\x0b", "\x1c", "售后"]


@st.composite
def plain_csv(draw):
    lines = draw(st.lists(st.lists(st.sampled_from(PLAIN_PIECES), max_size=5).map("".join), min_size=1, max_size=30))
    endings = draw(st.lists(st.sampled_from(ENDINGS), min_size=len(lines) + 1, max_size=len(lines) + 1))
    header = draw(st.sampled_from(["id,text", "text", "id,text,note", "id\ttext", "id;text;note", "id|text"]))
    text = header + endings[0] + "".join(line + end for line, end in zip(lines, endings[1:]))
    if draw(st.booleans()):  # a last line without a line end
        text = text.rstrip("\r\n")
    return text.encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"])))


@settings(max_examples=300, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=plain_csv(), chunk_size=st.integers(1, 12), block=st.integers(1, 40))
def test_lines_without_a_quote_read_by_arrow_are_what_the_csv_module_reads(tmp_path, monkeypatch, data,
                                                                           chunk_size, block):
    from brandrep.io import reading

    path = write(tmp_path, "plain.csv", data)

    def chunks(lines):
        monkeypatch.setattr(reading, "FAST_BLOCK_LINES", lines)
        return list(iter_table_chunks(path, required=("text",), dedupe=False, chunk_size=chunk_size))

    assert_same_chunks(chunks(block), chunks(0))


def test_a_plain_file_is_read_by_arrow_and_a_quoted_one_by_the_csv_module(tmp_path, monkeypatch):
    from brandrep.io import reading

    tables = []
    plain_table = reading._DelimitedSource._plain_table
    monkeypatch.setattr(reading._DelimitedSource, "_plain_table",
                        lambda self, data, count: tables.append(plain_table(self, data, count)) or tables[-1])
    rows = "".join(f"{i},第{i}位用户：门锁打不开\n" for i in range(300))
    plain = write(tmp_path, "plain.csv", f"id,text\n{rows}".encode())
    quoted = write(tmp_path, "quoted.csv", f'id,text\n{rows}1,"门锁,坏了"\n'.encode())
    assert len(read_all(plain)) == 300 and [t.num_rows for t in tables] == [300]
    tables.clear()
    assert read_all(quoted)["text"].iloc[-1] == "门锁,坏了" and tables == []


def read_all(path):
    return pd.concat([c.frame for c in iter_table_chunks(path, required=("text",), dedupe=False, chunk_size=1000)])


def test_a_block_that_ends_inside_a_quoted_field_is_not_cut_there(tmp_path):
    # chunks of 2 make blocks of 2 lines: the first ends inside the quoted field that lines 2-3
    # hold; the field is still one row (once reading the block's first line alone made it two)
    path = write(tmp_path, "q.csv", 'text\n"多行\n文本"\n"多行\n文本"\njunk,junk\n""\n'.encode())
    chunks = list(iter_table_chunks(path, required=("text",), dedupe=False, chunk_size=2))
    assert [c.frame["text"].tolist() for c in chunks] == [["多行\n文本", "多行\n文本"], [""]]
    assert [c.frame["_line"].tolist() for c in chunks] == [[2, 4], [7]]
    assert chunks[1].rejects["line"].tolist() == [6]
