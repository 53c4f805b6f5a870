# Writes the bilingual test fixtures (English-Korean, written for these tests).
# Run from this directory: python3 mkfixtures.py
import struct, gzip, shutil
entries = [
 ("apple", "사과", "명사"),
 ("dictionary", "사전", "명사"),
 ("get off", "내리다", "동사구"),
 ("increase", "증가; 증가하다", ""),
 ("news", "뉴스, 소식", "명사"),
 ("North Korea", "북한", "고유명사"),
 ("reader", "독자", "명사"),
 ("sanction", "제재; 승인", "명사, 동사"),
 ("train", "기차; 훈련하다", ""),
 ("word", "단어", "명사"),
]
with open("en-ko.tsv","w",encoding="utf-8") as f:
    f.write("# English-Korean glossary for tests: headword<TAB>translation[<TAB>note]\n\n")
    for h,t,n in entries:
        f.write(f"{h}\t{t}" + (f"\t{n}" if n else "") + "\n")
phon = {"apple":"ˈæpəl","dictionary":"ˈdɪkʃəˌnɛri","news":"nuːz","word":"wɝːd"}
se = sorted(entries, key=lambda e:(e[0].lower(), e[0]))
dic = b""; idx = b""
for h,t,n in se:
    rec = phon.get(h,"").encode()+b"\0"+t.encode()
    idx += h.encode()+b"\0"+struct.pack(">II", len(dic), len(rec))
    dic += rec
open("stardict/en-ko.dict","wb").write(dic)
open("stardict/en-ko.idx","wb").write(idx)
open("stardict/en-ko.ifo","w",encoding="utf-8").write(f"StarDict's dict ifo file\nversion=2.4.2\nbookname=Byline test English-Korean\nwordcount={len(se)}\nidxfilesize={len(idx)}\nsametypesequence=tm\n")
with gzip.GzipFile("stardict/en-ko-dz.dict.dz","wb",mtime=0) as f: f.write(dic)
shutil.copy("stardict/en-ko.idx","stardict/en-ko-dz.idx"); shutil.copy("stardict/en-ko.ifo","stardict/en-ko-dz.ifo")
digits="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
def b64(n):
    if n==0: return "A"
    s=""
    while n: s=digits[n%64]+s; n//=64
    return s
body=b""; lines=[]
for h,t in [("00-database-short","00-database-short\n     Byline test English-Korean\n"),("00-database-utf8","\n")]:
    lines.append(f"{h}\t{b64(len(body))}\t{b64(len(t.encode()))}"); body+=t.encode()
for h,t,n in se:
    d=(f"{h}\n   {t}\n").encode()
    lines.append(f"{h}\t{b64(len(body))}\t{b64(len(d))}"); body+=d
open("dictd/en-ko.dict","wb").write(body)
open("dictd/en-ko.index","w",encoding="utf-8").write("\n".join(lines)+"\n")
