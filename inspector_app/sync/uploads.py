"""The files a pushed visit still lacks on the office: small ones many to a request, larger ones
resumable, chunk by checked chunk; then the receipts that say which visits are whole. A visit is
"sent" only once every file of its manifest arrived with a checked sha256 (docs/sync-protocol.md).
"""

from __future__ import annotations

from inspector_app.domain.clock import Clock
from inspector_app.store import attachments
from inspector_app.store.workspace import Workspace
from inspector_app.sync.client import (
    FileRefused,
    NetworkError,
    ServerRefused,
    SyncClient,
    UploadRejected,
)
from inspector_app.sync.push_results import settle
from inspector_app.sync.report import AbortFlag, ProgressCallback, SyncProgress, SyncReport, aborted
from inspector_app.wire import FileStatus
from inspector_app.wire.models import MAX_SMALL_FILES, SMALL_FILE_BYTES

SMALL_REQUEST_BYTES = 2 * 1024 * 1024
MAX_CHUNK_RETRIES = 5


class FileUploads:
    def __init__(self, workspace: Workspace, clock: Clock, *, chunk_size: int = 256 * 1024) -> None:
        self.ws = workspace
        self.clock = clock
        self.chunk_size = chunk_size

    def upload_missing(
        self,
        client: SyncClient,
        missing: dict[str, list[str]],
        outbox_ids: dict[str, int],
        report: SyncReport,
        *,
        progress: ProgressCallback,
        abort: AbortFlag,
        first_time: frozenset[str] | set[str] = frozenset(),
    ) -> None:
        """Send the files these visits lack (visit id → shas), then settle the visits (their outbox
        entries: ``outbox_ids``) by the office's receipts."""
        root = self.ws.attachments_dir
        needed = sorted({sha for shas in missing.values() for sha in shas})
        # A file only visits on their first time out need starts at 0 without asking: nothing of
        # it can be on the office yet (a wrong guess costs a 409 that says the right offset).
        fresh = {sha for vid, shas in missing.items() if vid in first_time for sha in shas} - {
            sha for vid, shas in missing.items() if vid not in first_time for sha in shas
        }
        broken = {sha for sha in needed if not attachments.verify(root, sha)}
        refused: dict[str, str] = {}  # sha → why the office will never take it
        small: list[tuple[str, bytes]] = []
        done = 0

        def flush_small() -> None:
            # A small file the office refused goes again alone by the chunk path, whose answer
            # tells a file it will never take (415) from one to resend.
            for sha in self._send_small(client, small, report):
                self._upload_or_refused(client, sha, report, abort, refused, fresh=False)

        for sha in needed:
            if sha in broken:
                continue
            if aborted(abort):
                report.aborted = True
                return
            path = attachments.path_for(root, sha)
            size = path.stat().st_size
            if size <= SMALL_FILE_BYTES:
                small.append((sha, path.read_bytes()))
                if len(small) >= MAX_SMALL_FILES or sum(len(d) for _, d in small) >= SMALL_REQUEST_BYTES:
                    flush_small()
                    small = []
            else:
                self._upload_or_refused(client, sha, report, abort, refused, fresh=sha in fresh)
            if report.aborted:
                return
            done += 1
            if progress:
                progress(SyncProgress("upload", done, len(needed)))
        if small:
            flush_small()
        if report.aborted:
            return
        now = self.clock()
        if broken or refused:
            with self.ws.session() as s:
                for vid, shas in missing.items():
                    lost = sorted(set(shas) & broken)
                    turned_away = sorted(set(shas) & set(refused))
                    if lost:
                        report.quarantined += 1
                        settle(
                            s,
                            outbox_ids[vid],
                            "quarantined",
                            "missing_local_file",
                            f"本机的照片或签名文件缺失或损坏（{lost[0][:12]}…），无法上传",
                            missing=lost,
                            now=now,
                        )
                    elif turned_away:
                        # This visit only: the office refused one of its files, the rest goes on.
                        report.quarantined += 1
                        settle(
                            s,
                            outbox_ids[vid],
                            "quarantined",
                            "file_refused",
                            refused[turned_away[0]],
                            missing=turned_away,
                            now=now,
                        )
        settled = broken | set(refused)
        receipts = client.receipts([vid for vid, shas in missing.items() if not set(shas) & settled])
        with self.ws.session() as s:
            for rc in receipts:
                if rc.received:
                    report.sent += 1
                    settle(s, outbox_ids[rc.id], "sent", "received", "", missing=[], now=now)
                else:
                    settle(
                        s,
                        outbox_ids[rc.id],
                        "sending",
                        "incomplete",
                        f"服务器缺少 {len(rc.missing)} 个文件",
                        missing=list(rc.missing),
                        now=now,
                    )

    def _send_small(
        self, client: SyncClient, files: list[tuple[str, bytes]], report: SyncReport
    ) -> list[str]:
        """Send these small files in one request; returns those the office refused."""
        result = client.small_files(files)
        report.files_uploaded += len(result.stored)
        report.bytes_uploaded += sum(len(d) for sha, d in files if sha in set(result.stored))
        return [r.sha256 for r in result.refused if r.sha256 in {sha for sha, _ in files}]

    def _upload_or_refused(
        self,
        client: SyncClient,
        sha: str,
        report: SyncReport,
        abort: AbortFlag,
        refused: dict[str, str],
        *,
        fresh: bool,
    ) -> None:
        size = attachments.path_for(self.ws.attachments_dir, sha).stat().st_size
        try:
            self._upload_large(client, sha, size, report, abort, fresh=fresh)
        except FileRefused as exc:
            refused[sha] = f"服务器拒收文件 {sha[:12]}…：{exc}"
        except ServerRefused as exc:
            if exc.status == 413:  # over the server's largest file: it will never take it
                refused[sha] = f"服务器拒收文件 {sha[:12]}…：{exc}"
            elif exc.status != 403:
                raise
            # 403: no visit of this account awaits it any more; nothing to send, the receipt decides.

    def _upload_large(
        self, client: SyncClient, sha: str, size: int, report: SyncReport, abort: AbortFlag, *, fresh: bool
    ) -> None:
        """Resumable: ask where the server stands (unless the file is ``fresh``), continue from
        there, chunk by checked chunk."""
        if fresh:
            status = FileStatus(sha256=sha, size=None, offset=0, complete=False)
        else:
            status = client.file_status(sha)
        offset = status.offset
        retries = 0
        path = attachments.path_for(self.ws.attachments_dir, sha)
        with path.open("rb") as fh:
            while not status.complete:
                if aborted(abort):
                    report.aborted = True
                    return
                fh.seek(offset)
                chunk = fh.read(self.chunk_size)
                try:
                    status = client.upload_chunk(sha, offset, size, chunk)
                except UploadRejected as exc:
                    retries += 1
                    if retries > MAX_CHUNK_RETRIES:
                        raise NetworkError(f"文件 {sha[:12]}… 多次上传失败：{exc}") from exc
                    status = exc.status
                else:
                    report.bytes_uploaded += len(chunk)
                offset = status.offset
        report.files_uploaded += 1
