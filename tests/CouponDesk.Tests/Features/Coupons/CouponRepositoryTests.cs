using CouponDesk.Features.Coupons;
using Dapper;

namespace CouponDesk.Tests.Features.Coupons;

public sealed class CouponRepositoryTests(PushHost fixture) : IClassFixture<PushHost>
{
    [Fact]
    public async Task Issued_coupons_are_stored_encrypted_found_by_number_and_unique()
    {
        var backOffice = fixture.BackOffice;
        var numbers = Enumerable.Range(0, 1200).Select(i => $"8{i:D11}").ToArray();

        await backOffice.InsertAsync([.. numbers.Select(n => BackOfficeOnSocket.Coupon(n))]);

        var found = (await backOffice.Coupons.FindByNumberAsync(numbers[1100]))!;
        Assert.Equal(("**** **** 1100", CouponStatus.Unused, 4500), (found.MaskedNumber, found.Status, found.Balance));
        Assert.Equal(numbers[1100], await backOffice.Coupons.RevealNumberAsync(found.Id));
        await using var c = await backOffice.Database.OpenAsync();
        var raw = await c.QueryAsync<byte[]>("SELECT coupon_number_enc FROM coupons");
        Assert.DoesNotContain(raw, r => System.Text.Encoding.UTF8.GetString(r).Contains("81100", StringComparison.Ordinal));
        await Assert.ThrowsAnyAsync<MySqlConnector.MySqlException>(() => backOffice.InsertAsync(BackOfficeOnSocket.Coupon(numbers[5])));
    }
}
