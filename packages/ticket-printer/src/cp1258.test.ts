import { describe, expect, it } from 'vitest';
import { encodeCp1258 } from './cp1258.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// Every golden below is the output of glibc `printf '%s' TEXT | iconv -t CP1258 | xxd -p`,
// captured when this test was written (Debian 12, glibc 2.36).
const GOLDEN: [string, string][] = [
  ['Số thứ tự', '53f4ec207468fdec2074fdf2'],
  ['Lĩnh vực Đất đai', '4c69de6e682076fdf26320d0e2ec7420f06169'],
  ['Hộ tịch', '48f4f2207469f26368'],
  ['Chứng thực bản sao', '4368fdec6e67207468fdf263206261d26e2073616f'],
  ['người đang chờ trước bạn', '6e67fdf5cc6920f0616e67206368f5cc207472fdf5ec63206261f26e'],
  ['Thời gian chờ dự kiến: khoảng 15 phút', '5468f5cc69206769616e206368f5cc2064fdf2206b69eaec6e3a206b686f61d26e67203135207068fa74'],
  ['Trung tâm Phục vụ hành chính công xã Tân Phú', '5472756e672074e26d20506875f263207675f22068e06e68206368ed6e682063f46e67207861de2054e26e205068fa'],
  ['ƯU TIÊN Ỹ ỵ Ẫ ẩ Ở ờ ợ', 'dd55205449ca4e2059de2079f220c2de20e2d220d5d220f5cc20f5f2'],
];

// The whole alphabet: 12 vowels x 6 tones, lower then upper case, then đ Đ.
const ALPHABET = 'aàáãảạăằắẵẳặâầấẫẩậeèéẽẻẹêềếễểệiìíĩỉịoòóõỏọôồốỗổộơờớỡởợuùúũủụưừứữửựyỳýỹỷỵAÀÁÃẢẠĂẰẮẴẲẶÂẦẤẪẨẬEÈÉẼẺẸÊỀẾỄỂỆIÌÍĨỈỊOÒÓÕỎỌÔỒỐỖỔỘƠỜỚỠỞỢUÙÚŨỦỤƯỪỨỮỬỰYỲÝỸỶỴđĐ';
const ALPHABET_GOLDEN =
  '61e0e161de61d261f2e3e3cce3ece3dee3d2e3f2e2e2cce2ece2dee2d2e2f265e8e965de65d265f2eaeacceaeceadeead2eaf26969cced69de69d269f26f6fccf36fde6fd26ff2f4f4ccf4ecf4def4d2f4f2f5f5ccf5ecf5def5d2f5f275f9fa75de75d275f2fdfdccfdecfddefdd2fdf27979cc79ec79de79d279f241c0c141de41d241f2c3c3ccc3ecc3dec3d2c3f2c2c2ccc2ecc2dec2d2c2f245c8c945de45d245f2cacacccaeccadecad2caf24949cccd49de49d249f24f4fccd34fde4fd24ff2d4d4ccd4ecd4ded4d2d4f2d5d5ccd5ecd5ded5d2d5f255d9da55de55d255f2ddddccddecdddeddd2ddf25959cc59ec59de59d259f2f0d0';

describe('encodeCp1258', () => {
  it.each(GOLDEN)('matches glibc iconv for %s', (text, golden) => {
    expect(hex(encodeCp1258(text))).toBe(golden);
  });

  it('matches glibc iconv for every Vietnamese letter with every tone', () => {
    expect([...ALPHABET]).toHaveLength(12 * 6 * 2 + 2);
    expect(hex(encodeCp1258(ALPHABET))).toBe(ALPHABET_GOLDEN);
  });

  it('gives the same bytes for decomposed (NFD) input', () => {
    expect(hex(encodeCp1258('Lĩnh vực Đất đai'.normalize('NFD')))).toBe('4c69de6e682076fdf26320d0e2ec7420f06169');
  });

  it('turns what CP1258 cannot hold into "?" instead of dropping it', () => {
    expect(hex(encodeCp1258('€ ★ 中'))).toBe('80203f203f');
  });
});
