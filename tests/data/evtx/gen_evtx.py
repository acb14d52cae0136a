#!/usr/bin/env python3
# mamori — writes tests/data/evtx/security_4625.evtx: a small Windows XML
# Event Log (EVTX) file with a few Security-log records (failed logons, a
# successful one), written from scratch for mamori's tests (no third-party
# data). Layout per the EVTX format as libevtx documents it: a 4 KiB file
# header, one 64 KiB chunk ("ElfChnk"), event records ("**") whose payload is
# a BinXML fragment with inline element and attribute names and string
# values (no templates). Deterministic: the same bytes on every run.
#   python3 gen_evtx.py OUT.evtx
import struct, sys, zlib

def crc(b):
    return zlib.crc32(b) & 0xffffffff

def name_hash(s):
    h = 0
    for ch in s:
        h = (h * 65599 + ord(ch)) & 0xffffffff
    return h & 0xffff

class Frag:
    """BinXML fragment writer; offsets are relative to the chunk start."""
    def __init__(self, base):
        self.b = bytearray()
        self.base = base  # chunk offset of self.b[0]

    def pos(self):
        return self.base + len(self.b)

    def name(self, s):
        # inline name: the name offset points right behind itself
        self.b += struct.pack("<I", self.pos() + 4)
        self.b += struct.pack("<IHH", 0, name_hash(s), len(s))
        self.b += s.encode("utf-16-le") + b"\0\0"

    def text(self, s):
        self.b += struct.pack("<BBH", 0x05, 0x01, len(s)) + s.encode("utf-16-le")

    def element(self, tag, attrs=(), children=None, text=None):
        start = len(self.b)
        self.b += bytes([0x41 if attrs else 0x01]) + struct.pack("<H", 0xFFFF)
        size_at = len(self.b)
        self.b += b"\0\0\0\0"  # data size, patched below
        self.name(tag)
        if attrs:
            list_at = len(self.b)
            self.b += b"\0\0\0\0"
            for i, (k, v) in enumerate(attrs):
                self.b += bytes([0x46 if i + 1 < len(attrs) else 0x06])
                self.name(k)
                self.text(v)
            struct.pack_into("<I", self.b, list_at, len(self.b) - list_at - 4)
        if children is None and text is None:
            self.b += bytes([0x03])  # close empty element
        else:
            self.b += bytes([0x02])  # close start element
            if text is not None:
                self.text(text)
            for c in children or ():
                c(self)
            self.b += bytes([0x04])  # end element
        struct.pack_into("<I", self.b, size_at, len(self.b) - size_at - 4)

def E(tag, attrs=(), children=None, text=None):
    return lambda f: f.element(tag, attrs, children, text)

def data(k, v):
    return E("Data", [("Name", k)], text=v)

def event(eid, ts, rec, fields):
    return E("Event", [("xmlns", "http://schemas.microsoft.com/win/2004/08/events/event")], [
        E("System", (), [
            E("Provider", [("Name", "Microsoft-Windows-Security-Auditing"),
                           ("Guid", "{54849625-5478-4994-A5BA-3E3B0328C30D}")]),
            E("EventID", (), text=str(eid)),
            E("TimeCreated", [("SystemTime", ts)]),
            E("EventRecordID", (), text=str(rec)),
            E("Channel", (), text="Security"),
            E("Computer", (), text="DC01.corp.example"),
        ]),
        E("EventData", (), [data(k, v) for k, v in fields]),
    ])

def filetime(y, mo, d, h, mi, s):
    import calendar
    return (calendar.timegm((y, mo, d, h, mi, s)) + 11644473600) * 10000000

def main(out):
    recs = []
    users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan"]
    for i, u in enumerate(users):
        recs.append((4625, (2026, 11, 20, 9, i, 0), [
            ("TargetUserName", u), ("TargetDomainName", "CORP"), ("Status", "0xc000006d"),
            ("SubStatus", "0xc000006a"), ("LogonType", "3"), ("WorkstationName", "KALI"),
            ("IpAddress", "203.0.113.5"), ("IpPort", "0")]))
    recs.append((4624, (2026, 11, 20, 9, 15, 0), [
        ("TargetUserName", "grace"), ("TargetDomainName", "CORP"), ("LogonType", "3"),
        ("IpAddress", "203.0.113.5"), ("IpPort", "50122")]))
    recs.append((4625, (2026, 11, 20, 9, 20, 0), [
        ("TargetUserName", "oldadmin"), ("Status", "0xc000006e"), ("SubStatus", "0xc0000072"),
        ("LogonType", "3"), ("IpAddress", "198.51.100.7"), ("IpPort", "0")]))
    chunk = bytearray(65536)
    off = 512
    last_off = 512
    for n, (eid, t, fields) in enumerate(recs, start=1):
        ts = "%04d-%02d-%02dT%02d:%02d:%02d.0000000Z" % t
        f = Frag(off + 24)
        f.b += bytes([0x0F, 0x01, 0x01, 0x00])  # fragment header
        event(eid, ts, n, fields)(f)
        f.b += bytes([0x00])  # end of fragment
        size = 24 + len(f.b) + 4
        rec = struct.pack("<4sIQQ", b"**\0\0", size, n, filetime(*t)) + bytes(f.b) + struct.pack("<I", size)
        chunk[off:off + size] = rec
        last_off = off
        off += size
    nrec = len(recs)
    struct.pack_into("<8sQQQQIIII", chunk, 0, b"ElfChnk\0", 1, nrec, 1, nrec, 128, last_off, off,
                     crc(bytes(chunk[512:off])))
    struct.pack_into("<I", chunk, 120, 0)
    struct.pack_into("<I", chunk, 124, crc(bytes(chunk[0:120]) + bytes(chunk[128:512])))
    hdr = bytearray(4096)
    struct.pack_into("<8sQQQIHHHH", hdr, 0, b"ElfFile\0", 0, 0, nrec + 1, 128, 1, 3, 4096, 1)
    struct.pack_into("<I", hdr, 120, 0)
    struct.pack_into("<I", hdr, 124, crc(bytes(hdr[0:120])))
    open(out, "wb").write(bytes(hdr) + bytes(chunk))

main(sys.argv[1])
