package resolve

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"strconv"
	"strings"
)

// The DNS wire format of the one question a dns: or doh: rule asks and of
// its answer (RFC 1035 §4), written out here: golang.org/x/net/dns/dnsmessage
// would link a second copy of the parser the net package already carries
// (its copy is internal), about 45 KB on the router.

// Record types and classes a rule can ask for.
const (
	dnsTypeA    uint16 = 1
	dnsTypeTXT  uint16 = 16
	dnsTypeAAAA uint16 = 28
	dnsClassIN  uint16 = 1
	dnsClassCH  uint16 = 3
)

// dnsHeaderLen is the fixed header: id, flags and four section counts.
const dnsHeaderLen = 12

// Header flag bits.
const (
	dnsFlagResponse  = 1 << 15
	dnsFlagTruncated = 1 << 9
	dnsFlagRecursion = 1 << 8
)

// errDNSShort is any read past the end of a message or of a record.
var errDNSShort = errors.New("message too short")

func dnsTypeName(t uint16) string {
	switch t {
	case dnsTypeA:
		return "A"
	case dnsTypeAAAA:
		return "AAAA"
	case dnsTypeTXT:
		return "TXT"
	}
	return strconv.Itoa(int(t))
}

// dnsRCodeName names a response code as RFC 1035 does.
func dnsRCodeName(rc int) string {
	names := [...]string{"Success", "FormatError", "ServerFailure", "NameError", "NotImplemented", "Refused"}
	if rc < len(names) {
		return names[rc]
	}
	return strconv.Itoa(rc)
}

// packQuery builds a query with recursion desired for name (absolute,
// labels already checked by parseQuery).
func packQuery(id uint16, name string, typ, class uint16) []byte {
	b := make([]byte, dnsHeaderLen, dnsHeaderLen+len(name)+5)
	binary.BigEndian.PutUint16(b[0:], id)
	binary.BigEndian.PutUint16(b[2:], dnsFlagRecursion)
	binary.BigEndian.PutUint16(b[4:], 1) // one question
	for _, label := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if label != "" { // the root name has none
			b = append(b, byte(len(label)))
			b = append(b, label...)
		}
	}
	b = append(b, 0)
	b = binary.BigEndian.AppendUint16(b, typ)
	return binary.BigEndian.AppendUint16(b, class)
}

// dnsReader walks a message.
type dnsReader struct {
	msg []byte
	off int
}

func (r *dnsReader) u16() (uint16, error) {
	if r.off+2 > len(r.msg) {
		return 0, errDNSShort
	}
	v := binary.BigEndian.Uint16(r.msg[r.off:])
	r.off += 2
	return v, nil
}

// name reads a possibly compressed name at the current offset and returns
// it absolute, with a trailing dot.
func (r *dnsReader) name() (string, error) {
	var sb strings.Builder
	off, jumps := r.off, 0
	for {
		if off >= len(r.msg) {
			return "", errDNSShort
		}
		c := int(r.msg[off])
		off++
		switch c & 0xC0 {
		case 0x00:
			if c == 0 {
				if jumps == 0 {
					r.off = off
				}
				if sb.Len() == 0 {
					return ".", nil
				}
				return sb.String(), nil
			}
			if off+c > len(r.msg) {
				return "", errDNSShort
			}
			sb.Write(r.msg[off : off+c])
			sb.WriteByte('.')
			if sb.Len() > 255 {
				return "", errors.New("name too long")
			}
			off += c
		case 0xC0:
			if off >= len(r.msg) {
				return "", errDNSShort
			}
			if jumps == 0 {
				r.off = off + 1
			}
			if jumps++; jumps > 10 {
				return "", errors.New("too many compression pointers")
			}
			off = (c&0x3F)<<8 | int(r.msg[off])
		default:
			return "", errors.New("reserved label type")
		}
	}
}

// dnsRecord is one resource record's type and data.
type dnsRecord struct {
	typ  uint16
	data []byte
}

// record reads one resource record.
func (r *dnsReader) record() (dnsRecord, error) {
	if _, err := r.name(); err != nil {
		return dnsRecord{}, err
	}
	if r.off+10 > len(r.msg) {
		return dnsRecord{}, errDNSShort
	}
	typ := binary.BigEndian.Uint16(r.msg[r.off:])
	n := int(binary.BigEndian.Uint16(r.msg[r.off+8:])) // after class and TTL
	r.off += 10
	if r.off+n > len(r.msg) {
		return dnsRecord{}, errDNSShort
	}
	rec := dnsRecord{typ: typ, data: r.msg[r.off : r.off+n]}
	r.off += n
	return rec, nil
}

// txt joins the character strings of a TXT record.
func (rec dnsRecord) txt() (string, error) {
	var sb strings.Builder
	for d := rec.data; len(d) > 0; {
		n := int(d[0])
		if 1+n > len(d) {
			return "", errDNSShort
		}
		sb.Write(d[1 : 1+n])
		d = d[1+n:]
	}
	return sb.String(), nil
}

// addr reads an A or AAAA record's address.
func (rec dnsRecord) addr() (netip.Addr, error) {
	a, ok := netip.AddrFromSlice(rec.data)
	if !ok || (rec.typ == dnsTypeA) != (len(rec.data) == 4) {
		return netip.Addr{}, errors.New("bad address length")
	}
	return a, nil
}
