using System.Collections.Concurrent;
using System.Globalization;

namespace CouponDesk.CoufunStandIn.Catalog;

/// <summary>
/// A realistic catalog: cafés, bakeries, convenience stores, ice cream, chicken, cinemas and vouchers, BARCODE and
/// AMOUNT types, D and E validity, Korean names including the CP949-only syllable 똠 (so a client decoding with strict
/// EUC-KR fails loudly, spec §8.4). Deterministic, so tests and demos see the same ids; the control API can change a
/// product at run time (kept in memory: a restart restores the catalog, the ledger is what persists).
/// </summary>
public sealed class StandInCatalog
{
    private static readonly (string Brand, string CatId, string[] Items, int[] Prices)[] Brands =
    [
        ("테스트커피", "0000000003", ["아메리카노 Tall", "카페라떼 Tall", "바닐라라떼 Grande", "콜드브루 Tall", "자몽허니블랙티"], [4500, 5000, 6100, 4900, 5700]),
        ("커피빈스", "0000000003", ["아메리카노 R", "카라멜마끼아또 R", "초콜릿칩 블렌디드"], [4800, 5800, 6300]),
        ("메가브루", "0000000003", ["아이스 아메리카노", "딸기라떼", "퐁크러쉬"], [2000, 3700, 3900]),
        ("파리크라상", "0000000011", ["생크림 케이크", "초코 케이크", "치즈 케이크", "모닝빵 세트"], [28000, 30000, 32000, 8000]),
        ("뚜레쥬르미", "0000000011", ["고구마 케이크", "단팥빵 3개", "샌드위치 세트"], [27000, 5400, 7900]),
        ("씨유스토어", "0000000021", ["바나나우유", "삼각김밥 2개", "똠얌꿍 컵라면", "도시락 세트"], [1700, 2800, 1800, 5500]),
        ("지에스편의점", "0000000021", ["커피우유", "아이스크림 콘", "과자 세트"], [1500, 2000, 5000]),
        ("배스킨31", "0000000031", ["싱글레귤러", "파인트", "쿼터", "패밀리"], [3900, 9800, 18500, 26000]),
        ("치킨하우스", "0000000041", ["후라이드 치킨", "양념 치킨", "반반 치킨 + 콜라"], [20000, 22000, 24000]),
        ("피자나라", "0000000041", ["페퍼로니 L", "불고기 L"], [23900, 25900]),
        ("시네마원", "0000000051", ["2D 일반 관람권", "콤보 세트"], [15000, 9000]),
        ("버거킹덤", "0000000061", ["와퍼 세트", "치즈버거 세트"], [9900, 7900]),
        ("도넛도넛", "0000000061", ["오리지널 글레이즈드 6개", "하프더즌 세트"], [9600, 8400]),
    ];

    private static readonly (string Brand, int[] Amounts)[] Vouchers =
    [
        ("테스트마트", [10000, 30000, 50000]),
        ("백화점원", [50000, 100000]),
        ("테스트커피", [10000, 30000]),
        ("씨유스토어", [5000, 10000]),
        ("북스토어", [10000, 20000]),
    ];

    private readonly ConcurrentDictionary<string, StandInProduct> products = new(StringComparer.Ordinal);

    public StandInCatalog()
    {
        foreach (var product in Generate())
        {
            products[product.GoodsId] = product;
        }
    }

    public IReadOnlyList<StandInProduct> All => [.. products.Values.OrderBy(p => p.GoodsId, StringComparer.Ordinal)];

    public StandInProduct? Find(string? goodsId) => goodsId is null ? null : products.GetValueOrDefault(goodsId);

    public void Replace(StandInProduct product) => products[product.GoodsId] = product;

    private static IEnumerable<StandInProduct> Generate()
    {
        var number = 100;
        foreach (var (brand, catId, items, prices) in Brands)
        {
            for (var i = 0; i < items.Length; i++)
            {
                number++;
                var eType = number % 7 == 0;
                yield return new StandInProduct(
                    GoodsId: number.ToString("D10", CultureInfo.InvariantCulture),
                    CatId: catId,
                    Name: $"{brand} {items[i]}",
                    OriPrice: prices[i],
                    Price: prices[i] * 94 / 100,
                    Info: $"{brand} {items[i]} 교환권",
                    Guide: $"전국 {brand} 매장에서 사용 가능합니다.\n일부 매장은 제외될 수 있습니다.",
                    Branch: brand,
                    ValidEndType: eType ? 'E' : 'D',
                    ValidEndValue: eType ? "20271231" : (number % 3 == 0 ? "90" : "60"),
                    SendType: 'M',
                    CouponType: "BARCODE");
            }
        }

        number = 200;
        foreach (var (brand, amounts) in Vouchers)
        {
            foreach (var amount in amounts)
            {
                number++;
                // A 금액권 that cannot be used in parts is BARCODE (spec §6); the bookstore's are single-use.
                var couponType = brand == "북스토어" ? "BARCODE" : "AMOUNT";
                yield return new StandInProduct(
                    GoodsId: number.ToString("D10", CultureInfo.InvariantCulture),
                    CatId: "0000000007",
                    Name: $"{brand} 모바일 금액권 {amount / 10000}만원".Replace(" 0만원", " 5천원", StringComparison.Ordinal),
                    OriPrice: amount,
                    Price: amount * 96 / 100,
                    Info: couponType == "AMOUNT" ? "잔액 범위 내에서 여러 번 사용 가능" : "1회 사용 (잔액 소멸)",
                    Guide: $"{brand} 전 지점",
                    Branch: brand,
                    ValidEndType: number % 2 == 0 ? 'E' : 'D',
                    ValidEndValue: number % 2 == 0 ? "20271231" : "365",
                    SendType: 'M',
                    CouponType: couponType);
            }
        }
    }
}
