using System.Net;
using System.Net.Http.Json;
using System.Text;
using CouponDesk.Features.Campaigns;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Recipients;
using CouponDesk.Features.Reconciliation;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Tests.Accounts;
using CouponDesk.Tests.Campaigns;
using CouponDesk.Tests.Recipients;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace CouponDesk.Tests.Security;

/// <summary>
/// Issue 17 point 6, every bound table (D-SEC-12): values written by the application's own paths are bound to their
/// row; swapped in SQL between two rows of the same table they fail to decrypt with <see cref="PiiMisplacedValueException"/>,
/// pages show "복호화 불가" and the log names the place, never the value. Blind-index search still finds the rows.
/// </summary>
public sealed class BoundColumnSwapTests(LoggedCouponDeskFactory factory) : IClassFixture<LoggedCouponDeskFactory>
{
    private PiiProtector Pii => factory.Services.GetRequiredService<PiiProtector>();

    [Fact]
    public void Every_personal_data_column_is_registered_bound()
    {
        var columns = factory.Services.GetServices<EncryptedColumn>().ToList();

        Assert.All(columns, c => Assert.True(c.Bound, $"{c} is not bound"));
        Assert.Equal(
            ["approval_requests.memo_enc", "approval_requests.params_enc", "campaigns.client_requester_enc", "campaigns.requester_email_enc", "campaigns.requester_phone_enc", "coupons.coupon_number_enc", "cs_actions.memo_enc",
             "in_doubt_cancels.coupon_number_enc", "messages.phone_enc", "phone_changes.new_phone_enc", "phone_changes.old_phone_enc",
             "recipient_list_rows.name_enc", "recipient_list_rows.phone_enc", "users.email_enc", "users.mobile_enc", "users.name_enc"],
            columns.Select(c => c.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Staff_fields_swapped_between_two_users_show_as_unreadable()
    {
        using var admin = await factory.CreateClientAsync(Roles.Admin);
        var a = await CreateUserAsync(admin, "boundstaff01", "김하나", "01000000941");
        var b = await CreateUserAsync(admin, "boundstaff02", "이두리", "01000000942");
        Assert.Equal("김하나", (await UserAsync(admin, a)).GetProperty("name").GetString());

        foreach (var column in new[] { "name_enc", "email_enc", "mobile_enc" })
        {
            await SwapAsync("users", column, a, b);
        }

        var swapped = await UserAsync(admin, a);
        Assert.Equal(PiiReader.Unreadable, swapped.GetProperty("name").GetString());
        Assert.Equal(PiiReader.Unreadable, swapped.GetProperty("email").GetString());
        Assert.Equal(PiiReader.Unreadable, swapped.GetProperty("mobile").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/users")).StatusCode);
        AssertReported($"users.name_enc#{a}", "김하나", "이두리", "0941", "0942");
    }

    [Fact]
    public async Task Requester_fields_swapped_between_two_campaigns_show_as_unreadable()
    {
        using var client = await factory.CreateClientAsync(Roles.Operator);
        var form = new { clientName = "바인딩상사", eventName = "바인딩 이벤트", clientRequester = "박요청", requesterPhone = "010-0000-0951", requesterEmail = "requester@example.invalid" };
        var a = await CampaignApi.CreateAsync(client, form);
        var b = await CampaignApi.CreateAsync(client, form);
        Assert.Equal("010-****-0951", (await CampaignAsync(client, a)).GetProperty("requesterPhone").GetString());
        Assert.True(PiiProtector.IsBound(await ValueAsync("campaigns", "requester_phone_enc", a)));

        // Even the same clear value: it belongs to the other row.
        foreach (var column in new[] { "client_requester_enc", "requester_phone_enc", "requester_email_enc" })
        {
            await SwapAsync("campaigns", column, a, b);
        }

        var swapped = await CampaignAsync(client, b);
        Assert.Equal(PiiReader.Unreadable, swapped.GetProperty("clientRequester").GetString());
        Assert.Equal(PiiReader.Unreadable, swapped.GetProperty("requesterPhone").GetString());
        Assert.Equal(PiiReader.Unreadable, swapped.GetProperty("requesterEmail").GetString());
        Assert.Throws<PiiMisplacedValueException>(() => Pii.Decrypt(ValueAsync("campaigns", "requester_phone_enc", a).Result, CampaignsModule.RequesterPhoneColumn.PlaceOf(a)));
        AssertReported($"campaigns.requester_phone_enc#{b}", "박요청", "0951", "requester@");
    }

    [Fact]
    public async Task Recipient_rows_swapped_within_an_uploaded_list_show_as_unreadable_and_are_still_found_by_phone()
    {
        using var client = await factory.CreateClientAsync(Roles.Operator);
        var campaignId = await CampaignApi.CreateAsync(client, new { clientName = "바인딩상사", eventName = "명단 이벤트" });
        var staged = await CampaignApi.UploadAsync(client, campaignId, TestFiles.Csv("휴대폰번호,이름\n010-0000-0961,최셋\n010-0000-0962,정넷\n010-0000-0963,한다섯\n", new UTF8Encoding(false)), "list.csv");
        var listId = staged.GetProperty("listId").GetInt64();
        await CampaignApi.ReadAsync(await client.PostAsync($"/api/campaigns/{campaignId}/recipient-lists/{listId}/accept", null), HttpStatusCode.OK);

        await using (var c = await factory.Database.OpenAsync())
        {
            var rows = (await c.QueryAsync<(int Seq, byte[] Phone, byte[] Name)>("SELECT seq, phone_enc, name_enc FROM recipient_list_rows WHERE list_id = @listId ORDER BY seq", new { listId })).ToList();
            Assert.All(rows, r => Assert.True(PiiProtector.IsBound(r.Phone) && PiiProtector.IsBound(r.Name)));
            Assert.Equal("01000000962", Pii.Decrypt(rows[1].Phone, RecipientsModule.PhoneColumn.PlaceOf(listId, 2)));
            foreach (var column in new[] { "phone_enc", "name_enc" })
            {
                var (one, two) = (await RowValueAsync(c, column, listId, 1), await RowValueAsync(c, column, listId, 2));
                await c.ExecuteAsync($"UPDATE recipient_list_rows SET {column} = @two WHERE list_id = @listId AND seq = 1", new { two, listId });
                await c.ExecuteAsync($"UPDATE recipient_list_rows SET {column} = @one WHERE list_id = @listId AND seq = 2", new { one, listId });
            }

            // The blind index is the row's own: a search by phone still lands on it.
            Assert.Equal(3, await c.ExecuteScalarAsync<int>("SELECT seq FROM recipient_list_rows WHERE list_id = @listId AND phone_bidx = @bidx", new { listId, bidx = Pii.PhoneBlindIndex("010-0000-0963") }));
        }

        var page = await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{campaignId}/recipients?limit=10"), HttpStatusCode.OK);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([PiiReader.Unreadable, PiiReader.Unreadable, "010-****-0963"], items.Select(i => i.GetProperty("phone").GetString()));
        Assert.Equal([PiiReader.Unreadable, PiiReader.Unreadable], items.Take(2).Select(i => i.GetProperty("name").GetString()));
        AssertReported($"recipient_list_rows.phone_enc#{listId}:1", "0961", "0962", "최셋", "정넷");
    }

    [Fact]
    public async Task Coupon_numbers_are_bound_by_the_bulk_insert_found_by_index_and_a_swapped_one_is_never_revealed()
    {
        var coupons = factory.Services.GetRequiredService<CouponRepository>();
        var numbers = Enumerable.Range(0, 3).Select(i => "97" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture) + i).ToList();
        await using (var c = await factory.Database.OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            await coupons.InsertIssuedAsync(c, tx, [.. numbers.Select(n => new IssuedCoupon(n, "0000000101", "BARCODE", 4500, 4230, DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), null, null, null, null, DateTime.UtcNow))]);
            await tx.CommitAsync();
        }

        var ids = new List<long>();
        foreach (var number in numbers)
        {
            ids.Add((await coupons.FindByNumberAsync(number))!.Id);
        }

        Assert.Equal(numbers, (await coupons.RevealNumbersAsync(ids)).OrderBy(p => ids.IndexOf(p.Key)).Select(p => p.Value));
        Assert.True(PiiProtector.IsBound(await ValueAsync("coupons", "coupon_number_enc", ids[0])));

        await SwapAsync("coupons", "coupon_number_enc", ids[0], ids[1]);

        var revealed = await coupons.RevealNumbersAsync(ids);
        Assert.Equal([ids[2]], revealed.Keys);
        Assert.Equal(ids[0], (await coupons.FindByNumberAsync(numbers[0]))!.Id);
        AssertReported($"coupons.coupon_number_enc#{ids[0]}", numbers[0], numbers[1], numbers[0][^4..]);
    }

    [Fact]
    public async Task In_doubt_cancel_numbers_written_in_bulk_are_bound_and_a_swap_fails()
    {
        var numbers = new[] { "9611110000001", "9611110000002" };
        long first, second;
        await using (var c = await factory.Database.OpenAsync())
        await using (var tx = await c.BeginTransactionAsync())
        {
            // As InDoubtSettlement does: the rows without the number, then the bound numbers by their index.
            await c.ExecuteAsync(
                "INSERT INTO in_doubt_cancels (order_id, coupon_number_index, coupon_number_last4, status, created_at, updated_at) VALUES (1, @a, '0001', 'PENDING', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)), (1, @b, '0002', 'PENDING', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
                new { a = Pii.CouponBlindIndex(numbers[0]), b = Pii.CouponBlindIndex(numbers[1]) }, tx);
            await BoundValueWriter.WriteByIndexAsync(c, tx, Pii, ReconciliationSetup.InDoubtNumberColumn, "coupon_number_index",
                [(Pii.CouponBlindIndex(numbers[0]), numbers[0]), (Pii.CouponBlindIndex(numbers[1]), numbers[1])], CancellationToken.None);
            await tx.CommitAsync();
            first = await c.ExecuteScalarAsync<long>("SELECT id FROM in_doubt_cancels WHERE coupon_number_index = @x", new { x = Pii.CouponBlindIndex(numbers[0]) });
            second = await c.ExecuteScalarAsync<long>("SELECT id FROM in_doubt_cancels WHERE coupon_number_index = @x", new { x = Pii.CouponBlindIndex(numbers[1]) });
        }

        Assert.Equal(numbers[1], Pii.Decrypt(await ValueAsync("in_doubt_cancels", "coupon_number_enc", second), ReconciliationSetup.InDoubtNumberColumn.PlaceOf(second)));
        await SwapAsync("in_doubt_cancels", "coupon_number_enc", first, second);
        var error = Assert.Throws<PiiMisplacedValueException>(() => Pii.Decrypt(ValueAsync("in_doubt_cancels", "coupon_number_enc", first).Result, ReconciliationSetup.InDoubtNumberColumn.PlaceOf(first)));
        Assert.Contains($"in_doubt_cancels.coupon_number_enc#{first}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0000001", error.Message, StringComparison.Ordinal);
    }

    private void AssertReported(string place, params string[] secrets)
    {
        var warnings = factory.Logs.Events.Select(e => e.RenderMessage()).Where(m => m.Contains("cannot be decrypted", StringComparison.Ordinal)).ToList();
        Assert.Contains(warnings, m => m.Contains(place, StringComparison.Ordinal) && m.Contains(nameof(PiiMisplacedValueException), StringComparison.Ordinal));
        Assert.All(warnings, m => Assert.All(secrets, s => Assert.DoesNotContain(s, m, StringComparison.Ordinal)));
    }

    private async Task<byte[]> ValueAsync(string table, string column, long id)
    {
        await using var c = await factory.Database.OpenAsync();
        return (await c.ExecuteScalarAsync<byte[]>($"SELECT {column} FROM {table} WHERE id = @id", new { id }))!;
    }

    private static async Task<byte[]> RowValueAsync(MySqlConnection c, string column, long listId, int seq) =>
        (await c.ExecuteScalarAsync<byte[]>($"SELECT {column} FROM recipient_list_rows WHERE list_id = @listId AND seq = @seq", new { listId, seq }))!;

    /// <summary>What someone with write access to the database could do: exchange two rows' ciphertexts.</summary>
    private async Task SwapAsync(string table, string column, long a, long b)
    {
        var (valueA, valueB) = (await ValueAsync(table, column, a), await ValueAsync(table, column, b));
        await using var c = await factory.Database.OpenAsync();
        await c.ExecuteAsync($"UPDATE {table} SET {column} = @valueB WHERE id = @a", new { valueB, a });
        await c.ExecuteAsync($"UPDATE {table} SET {column} = @valueA WHERE id = @b", new { valueA, b });
    }

    private static async Task<long> CreateUserAsync(HttpClient admin, string loginId, string name, string mobile) =>
        (await (await admin.PostAsJsonAsync("/api/users", new { loginId, password = "Quiet-River-2047", name, email = loginId + "@example.com", mobile, role = Roles.Operator, status = "ACTIVE" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("user").GetProperty("id").GetInt64();

    private static async Task<System.Text.Json.JsonElement> UserAsync(HttpClient admin, long id) =>
        await (await admin.GetAsync($"/api/users/{id}")).JsonAsync(HttpStatusCode.OK);

    private static async Task<System.Text.Json.JsonElement> CampaignAsync(HttpClient client, long id) =>
        await CampaignApi.ReadAsync(await client.GetAsync($"/api/campaigns/{id}"), HttpStatusCode.OK);
}
