/**
 * Real packets captured from libvirt 9.0.0, transcribed from the hex dumps of the protocol
 * README (section 15), one annotated line per field. Where the README elides bytes ("...")
 * they are filled in from the values it gives, and the total length it states is checked
 * by the tests.
 */
import { asciiPadded, bytes } from './hex'

/** REMOTE_PROC_CONNECT_OPEN call, serial 3, name "qemu:///system" (56 bytes). */
export const CONNECT_OPEN_CALL = bytes(`
  00 00 00 38             | length word = 56, counts itself
  20 00 80 86             | prog   = REMOTE_PROGRAM
  00 00 00 01             | vers   = 1
  00 00 00 01             | proc   = 1 (CONNECT_OPEN)
  00 00 00 00             | type   = 0 CALL
  00 00 00 03             | serial = 3
  00 00 00 00             | status = 0 OK
                          | -- body: remote_connect_open_args
  00 00 00 01             | name: optional string, 1 = present
  00 00 00 0e             | string length 14
  71 65 6d 75 3a 2f 2f 2f | "qemu:///"
  73 79 73 74 65 6d 00 00 | "system" + 2 bytes padding
  00 00 00 00             | flags = 0
`)

/** REMOTE_PROC_CONNECT_OPEN reply, serial 3, no body (28 bytes). */
export const CONNECT_OPEN_REPLY = bytes(`
  00 00 00 1c | length 28
  20 00 80 86 | prog REMOTE_PROGRAM
  00 00 00 01 | vers 1
  00 00 00 01 | proc 1
  00 00 00 01 | type 1 REPLY
  00 00 00 03 | serial 3
  00 00 00 00 | status 0 OK
`)

/** REMOTE_PROC_CONNECT_LIST_ALL_DOMAINS (273) call, serial 34 (36 bytes). */
export const LIST_ALL_DOMAINS_CALL = bytes(`
  00 00 00 24 | length 36
  20 00 80 86 | prog
  00 00 00 01 | vers
  00 00 01 11 | proc = 0x111 = 273
  00 00 00 00 | type CALL
  00 00 00 22 | serial 34
  00 00 00 00 | status OK
              | -- body: remote_connect_list_all_domains_args
  00 00 00 01 | need_results = 1
  00 00 00 00 | flags = 0
`)

/** The reply: two inactive domains, demo1 and tiny (96 bytes). */
export const LIST_ALL_DOMAINS_REPLY = bytes(`
  00 00 00 60             | length 96
  20 00 80 86 00 00 00 01 | prog, vers
  00 00 01 11             | proc 273
  00 00 00 01             | type 1 REPLY
  00 00 00 22             | serial 34 (matches the call)
  00 00 00 00             | status OK
                          | -- body: remote_connect_list_all_domains_ret
  00 00 00 02             | domains<>: 2 elements
                          | -- domains[0]: remote_nonnull_domain
  00 00 00 05             | name length 5
  64 65 6d 6f 31 00 00 00 | "demo1" + 3 padding bytes
  c3 19 0a 18 92 19 47 40 | uuid: 16 raw bytes, no length
  be 63 44 d7 6b 67 0f 16 |   = c3190a18-9219-4740-be63-44d76b670f16
  ff ff ff ff             | id = -1 (not running)
                          | -- domains[1]
  00 00 00 04             | name length 4
  74 69 6e 79             | "tiny" (already aligned, no padding)
  82 6b fd 9a 23 1a 41 36 | uuid 826bfd9a-231a-4136-
  a7 8f aa e0 ca 8b 14 c1 |   a78f-aae0ca8b14c1
  ff ff ff ff             | id = -1
  00 00 00 02             | ret = 2 (number of domains)
`)

const NO_DOMAIN_MESSAGE = "Domain not found: no domain with matching name 'no-such-domain-xdr2json'"
const NO_DOMAIN_STR2 = "no domain with matching name 'no-such-domain-xdr2json'"

/** DOMAIN_LOOKUP_BY_NAME (23) failing: REPLY with status ERROR and remote_error (232 bytes). */
export const LOOKUP_ERROR_REPLY = bytes(`
  00 00 00 e8 | length 232
  20 00 80 86 | prog REMOTE_PROGRAM
  00 00 00 01 | vers 1
  00 00 00 17 | proc 23 (DOMAIN_LOOKUP_BY_NAME)
  00 00 00 01 | type REPLY
  00 00 00 23 | serial 35
  00 00 00 01 | status 1 ERROR
              | -- body: remote_error
  00 00 00 2a | code   = 42 (VIR_ERR_NO_DOMAIN)
  00 00 00 0a | domain = 10 (VIR_FROM_QEMU)
  00 00 00 01 | message: present
  00 00 00 48 | 72 bytes
  ${asciiPadded(NO_DOMAIN_MESSAGE)} | the message, no padding needed (72 = 18 * 4)
  00 00 00 02 | level  = 2 (error)
  00 00 00 00 | dom    = absent
  00 00 00 01 | str1: present
  00 00 00 14 | 20 bytes
  ${asciiPadded('Domain not found: %s')} | "Domain not found: %s"
  00 00 00 01 | str2: present
  00 00 00 36 | 54 bytes
  ${asciiPadded(NO_DOMAIN_STR2)} | "no domain with matching name '...'" + 2 pad
  00 00 00 00 | str3   = absent
  ff ff ff ff | int1 = -1
  ff ff ff ff | int2 = -1
  00 00 00 00 | net    = absent
`)

/** The texts inside {@link LOOKUP_ERROR_REPLY}. */
export const LOOKUP_ERROR_TEXT = { message: NO_DOMAIN_MESSAGE, str2: NO_DOMAIN_STR2 }

/** DOMAIN_EVENT_CALLBACK_LIFECYCLE (318): a transient domain resumed (84 bytes). */
export const LIFECYCLE_EVENT = bytes(`
  00 00 00 54             | len 84
  20 00 80 86             | prog REMOTE_PROGRAM
  00 00 00 01             | vers 1
  00 00 01 3e             | proc 318
  00 00 00 02             | type 2 MESSAGE
  00 00 00 01             | serial 1 (!) on every event
  00 00 00 00             | status OK
                          | -- body: remote_domain_event_callback_lifecycle_msg
  00 00 00 0b             | callbackID = 11
  00 00 00 14             | dom.name length 20
  ${asciiPadded('xdr2json-probe-18031')} | "xdr2json-probe-18031"
  4e 03 ab 12 a6 4f 4b dc | dom.uuid
  8e 0f a6 52 98 c4 ee d7 |
  00 00 00 0d             | dom.id = 13
  00 00 00 04             | event  = 4 RESUMED
  00 00 00 00             | detail = 0
`)

/** DOMAIN_OPEN_GRAPHICS_FD (343) answered with REPLY_WITH_FDS (32 bytes, fd out of band). */
export const REPLY_WITH_FDS = bytes(`
  00 00 00 20 | len 32
  20 00 80 86 | prog
  00 00 00 01 | vers
  00 00 01 57 | proc 343
  00 00 00 05 | type 5 REPLY_WITH_FDS
  00 00 00 31 | serial 49
  00 00 00 00 | status OK
  00 00 00 01 | fd count = 1
`)

/** STREAM_HOLE in a sparse STORAGE_VOL_DOWNLOAD (209) (40 bytes). */
export const STREAM_HOLE = bytes(`
  00 00 00 28             | len 40
  20 00 80 86             | prog
  00 00 00 01             | vers
  00 00 00 d1             | proc 209
  00 00 00 06             | type 6 STREAM_HOLE
  00 00 00 3e             | serial 62
  00 00 00 02             | status CONTINUE
                          | -- body: virNetStreamHole
  00 00 00 00 00 3b 60 00 | length = 3891200 (hyper)
  00 00 00 00             | flags = 0
`)

/** A keepalive PING (28 bytes): program "keep", MESSAGE, serial 0, empty body. */
export const KEEPALIVE_PING = bytes(`
  00 00 00 1c | length 28
  6b 65 65 70 | prog = KEEPALIVE_PROGRAM ("keep")
  00 00 00 01 | vers 1
  00 00 00 01 | proc 1 PING
  00 00 00 02 | type 2 MESSAGE
  00 00 00 00 | serial 0
  00 00 00 00 | status OK
`)

/** A stream of several packets as the daemon might send them back to back. */
export const PACKET_STREAM = [
  CONNECT_OPEN_REPLY,
  LIST_ALL_DOMAINS_REPLY,
  KEEPALIVE_PING,
  LIFECYCLE_EVENT,
  LOOKUP_ERROR_REPLY,
  STREAM_HOLE,
]
