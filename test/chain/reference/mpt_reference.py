#!/usr/bin/env python3
# Reference roots for trie tests (guomi roots, ordered roots), from a second implementation that
# shares no code or algorithm with chain/: it builds each root top-down from the whole key set.
# Run: python3 test/chain/reference/mpt_reference.py (checks itself against TrieTests first).
# Keccak-256 is written out below; SM3 is hashlib's (OpenSSL's).
import hashlib, json, os, sys

RC = [0x0000000000000001,0x0000000000008082,0x800000000000808A,0x8000000080008000,0x000000000000808B,
0x0000000080000001,0x8000000080008081,0x8000000000008009,0x000000000000008A,0x0000000000000088,
0x0000000080008009,0x000000008000000A,0x000000008000808B,0x800000000000008B,0x8000000000008089,
0x8000000000008003,0x8000000000008002,0x8000000000000080,0x000000000000800A,0x800000008000000A,
0x8000000080008081,0x8000000000008080,0x0000000080000001,0x8000000080008008]
ROT = [[0,36,3,41,18],[1,44,10,45,2],[62,6,43,15,61],[28,55,25,21,56],[27,20,39,8,14]]
M = (1<<64)-1
def rol(x,n): return ((x<<n)|(x>>(64-n)))&M if n else x
def keccak_f(A):
    for rc in RC:
        C=[A[x][0]^A[x][1]^A[x][2]^A[x][3]^A[x][4] for x in range(5)]
        D=[C[(x-1)%5]^rol(C[(x+1)%5],1) for x in range(5)]
        A=[[A[x][y]^D[x] for y in range(5)] for x in range(5)]
        B=[[0]*5 for _ in range(5)]
        for x in range(5):
            for y in range(5): B[y][(2*x+3*y)%5]=rol(A[x][y],ROT[x][y])
        A=[[B[x][y]^((~B[(x+1)%5][y])&B[(x+2)%5][y]) for y in range(5)] for x in range(5)]
        A[0][0]^=rc
    return A
def keccak256(data):
    rate=136; p=bytearray(data)+b'\x01'
    while len(p)%rate: p+=b'\x00'
    p[-1]|=0x80
    A=[[0]*5 for _ in range(5)]
    for off in range(0,len(p),rate):
        blk=p[off:off+rate]
        for i in range(rate//8):
            A[i%5][i//5]^=int.from_bytes(blk[8*i:8*i+8],'little')
        A=keccak_f(A)
    out=b''.join(A[i%5][i//5].to_bytes(8,'little') for i in range(4))
    return out
def sm3(data): return hashlib.new('sm3', data).digest()

def rlp_len(n, off):
    if n<56: return bytes([off+n])
    b=n.to_bytes((n.bit_length()+7)//8,'big'); return bytes([off+55+len(b)])+b
def rlp_str(s):
    if len(s)==1 and s[0]<0x80: return s
    return rlp_len(len(s),0x80)+s
def rlp_list(encoded_items):
    body=b''.join(encoded_items); return rlp_len(len(body),0xc0)+body
def nib(b): return [x for c in b for x in (c>>4, c&15)]
def hp(n, leaf):
    f=2 if leaf else 0
    if len(n)%2: head=bytes([((f+1)<<4)|n[0]]); n=n[1:]
    else: head=bytes([f<<4])
    return head+bytes(n[i]*16+n[i+1] for i in range(0,len(n),2))
def ref(enc, H):
    return enc if len(enc)<32 else rlp_str(H(enc))
def build(items, H):
    if len(items)==1:
        k,v=items[0]; return rlp_list([rlp_str(hp(k,True)), rlp_str(v)])
    pre=0
    while all(len(k)>pre for k,_ in items) and len({k[pre] for k,_ in items})==1: pre+=1
    if pre:
        child=build([(k[pre:],v) for k,v in items], H)
        return rlp_list([rlp_str(hp(items[0][0][:pre],False)), ref(child,H)])
    slots=[]
    for i in range(16):
        sub=[(k[1:],v) for k,v in items if k and k[0]==i]
        slots.append(ref(build(sub,H),H) if sub else b'\x80')
    val=[v for k,v in items if not k]
    slots.append(rlp_str(val[0] if val else b''))
    return rlp_list(slots)
def root(pairs, H, secure=False):
    d={}
    for k,v in pairs:
        if secure: k=H(k)
        if v: d[k]=v
        else: d.pop(k,None)
    if not d: return H(b'\x80')
    return H(build(sorted((nib(k),v) for k,v in d.items()), H))
def dec(s): return bytes.fromhex(s[2:]) if s.startswith('0x') else s.encode()

def rlp_uint(i):
    return rlp_str(i.to_bytes((i.bit_length()+7)//8,'big') if i else b'')
def ordered_values(n):
    # value i: 1 + i % 40 bytes of (i % 251), so short (embedded) and long (hashed) leaves both appear
    return [bytes([i % 251]) * (1 + i % 40) for i in range(n)]
def ordered_root(values, H):
    return root([(rlp_uint(i), v) for i, v in enumerate(values)], H)


def main():
    assert keccak256(b'').hex()=='c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
    here=os.path.dirname(os.path.abspath(__file__))
    base=os.environ.get('TALLY_TESTDATA', os.path.join(here,'../../../../shared/testdata'))+'/eth/TrieTests/'
    for f,secure in [('trietest.json',0),('trieanyorder.json',0),('trietest_secureTrie.json',1),('trieanyorder_secureTrie.json',1)]:
        for name,t in json.load(open(base+f)).items():
            inp=t['in']; pairs=inp if isinstance(inp,list) else list(inp.items())
            pairs=[(dec(k), dec(v) if v is not None else b'') for k,v in pairs]
            ok=root(pairs,keccak256,secure).hex()==t['root'][2:]
            print(f,name,'ok' if ok else 'MISMATCH', 'guomi', root(pairs,sm3,secure).hex())
    for n in [1, 3, 128, 129, 300]:
        v = ordered_values(n)
        print('ordered', n, ordered_root(v, keccak256).hex(), 'guomi', ordered_root(v, sm3).hex())

if __name__ == '__main__':
    main()
