using System.Net;
using System.Text.Json;
using CouponDesk.Features.Coupons;
using CouponDesk.Features.Messages;
using CouponDesk.Features.Privacy;
using CouponDesk.Features.Recipients;
using CouponDesk.Features.Users;
using CouponDesk.Security;
using CouponDesk.Security.Pii;
using CouponDesk.Tests.Accounts;
using CouponDesk.Tests.Reconciliation;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CouponDesk.Tests.Security;

/// <summary>
/// Issue 17 point 6: a personal-data ciphertext is bound to its place (table, column, row) as AES-GCM associated data.
/// Copied to another row or column it fails to decrypt with <see cref="PiiMisplacedValueException"/>; a page reports it
/// as "복호화 불가" (logged without the value) instead of showing another person's number or failing. Older unbound
/// values still read, and the key rotation binds them.
/// </summary>
public sealed class BoundCiphertextTests(BoundCiphertextTests.Factory factory) : IClassFixture<BoundCiphertextTests.Factory>
{
    public sealed class Factory : LoggedCouponDeskFactory;

    private PiiProtector Pii => factory.Services.GetRequiredService<PiiProtector>();

    [Fact]
    public void A_bound_value_decrypts_only_at_its_place_and_an_unbound_one_still_reads()
    {
        var here = PiiPlace.Of("messages", "phone_enc", 41);
        var bound = Pii.Encrypt("01000000411", here);

        Assert.True(PiiProtector.IsBound(bound));
        Assert.Equal("01000000411", Pii.Decrypt(bound, here));
        Assert.Throws<PiiMisplacedValueException>(() => Pii.Decrypt(bound, PiiPlace.Of("messages", "phone_enc", 42)));
        Assert.Throws<PiiMisplacedValueException>(() => Pii.Decrypt(bound, PiiPlace.Of("messages", "other_enc", 41)));
        Assert.Throws<PiiMisplacedValueException>(() => Pii.Decrypt(bound, PiiPlace.Of("users", "phone_enc", 41)));
        var unplaced = Assert.Throws<PiiDecryptionException>(() => Pii.Decrypt(bound));
        Assert.DoesNotContain("0411", unplaced.Message);

        var legacy = Pii.Encrypt("01000000412");
        Assert.False(PiiProtector.IsBound(legacy));
        Assert.Equal("01000000412", Pii.Decrypt(legacy, here));
    }

    [Fact]
    public async Task Two_messages_whose_phone_ciphertexts_are_swapped_in_sql_show_as_unreadable_and_are_logged_without_the_number()
    {
        var (itemA, messageA) = await MessageAsync(960, bound: true);
        var (_, messageB) = await MessageAsync(961, bound: true);
        var (itemC, _) = await MessageAsync(962, bound: true);
        await using (var c = await factory.Database.OpenAsync())
        {
            var a = await c.ExecuteScalarAsync<byte[]>("SELECT phone_enc FROM messages WHERE id = @messageA", new { messageA });
            var b = await c.ExecuteScalarAsync<byte[]>("SELECT phone_enc FROM messages WHERE id = @messageB", new { messageB });
            await c.ExecuteAsync("UPDATE messages SET phone_enc = @b WHERE id = @messageA", new { b, messageA });
            await c.ExecuteAsync("UPDATE messages SET phone_enc = @a WHERE id = @messageB", new { a, messageB });
        }

        using var operatorClient = await factory.CreateClientAsync(Roles.Operator);
        var swapped = await DetailAsync(operatorClient, itemA);
        Assert.Equal(PiiReader.Unreadable, swapped.GetProperty("messages")[0].GetProperty("phone").GetString());
        var intact = await DetailAsync(operatorClient, itemC);
        Assert.Equal("010-****-0962", intact.GetProperty("messages")[0].GetProperty("phone").GetString());

        var warnings = factory.Logs.Events.Select(e => e.RenderMessage()).Where(m => m.Contains("cannot be decrypted", StringComparison.Ordinal)).ToList();
        Assert.Contains(warnings, m => m.Contains($"messages.phone_enc#{messageA}", StringComparison.Ordinal) && m.Contains(nameof(PiiMisplacedValueException), StringComparison.Ordinal));
        Assert.All(warnings, m => Assert.DoesNotMatch("0100000096[0-9]|0960|0961", m));
    }

    [Fact]
    public async Task The_rotation_binds_older_values_after_which_a_swap_fails_too()
    {
        var (item, message) = await MessageAsync(970, bound: false);
        var (_, other) = await MessageAsync(971, bound: false);
        await using var c = await factory.Database.OpenAsync();
        Assert.False(PiiProtector.IsBound((await c.ExecuteScalarAsync<byte[]>("SELECT phone_enc FROM messages WHERE id = @message", new { message }))!));

        var report = await factory.Services.GetRequiredService<KeyRotationService>().RotateAsync();

        Assert.True(report.PerColumn["messages.phone_enc"] >= 2);
        Assert.Equal(0, await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE phone_enc IS NOT NULL AND SUBSTRING(phone_enc, 1, 1) <> 0x02"));
        using var admin = await factory.CreateClientAsync(Roles.Admin);
        Assert.Equal("010-****-0970", (await DetailAsync(admin, item)).GetProperty("messages")[0].GetProperty("phone").GetString());

        await c.ExecuteAsync("UPDATE messages SET phone_enc = (SELECT phone_enc FROM (SELECT phone_enc FROM messages WHERE id = @other) x) WHERE id = @message", new { other, message });
        Assert.Equal(PiiReader.Unreadable, (await DetailAsync(admin, item)).GetProperty("messages")[0].GetProperty("phone").GetString());
    }

    [Fact]
    public async Task The_rotation_binds_older_values_of_every_bound_column_including_two_part_keys()
    {
        var (item, _) = await MessageAsync(975, bound: true);
        await using var c = await factory.Database.OpenAsync();
        // Values as they were written before binding (format 0x01): a recipient row (list, seq), its coupon, a staff name.
        var couponId = await new ReconciliationData(factory.Services).CouponAsync("961234500975", DateTime.UtcNow);
        var row = await c.QuerySingleAsync<(long ListId, int Seq)>("SELECT list_id, seq FROM delivery_items WHERE id = @item", new { item });
        await c.ExecuteAsync("UPDATE recipient_list_rows SET phone_enc = @phone, name_enc = @name WHERE list_id = @ListId AND seq = @Seq",
            new { phone = Pii.Encrypt("01000000975"), name = Pii.Encrypt("윤옛날"), row.ListId, row.Seq });
        await c.ExecuteAsync("UPDATE coupons SET coupon_number_enc = @number WHERE id = @couponId", new { number = Pii.Encrypt("961234500975"), couponId });
        var staff = await c.ExecuteScalarAsync<long>("SELECT MIN(id) FROM users");
        await c.ExecuteAsync("UPDATE users SET name_enc = @name WHERE id = @staff", new { name = Pii.Encrypt("서옛날"), staff });
        using var admin = await factory.CreateClientAsync(Roles.Admin);
        Assert.Equal("010-****-0975", (await DetailAsync(admin, item)).GetProperty("row").GetProperty("phone").GetString()); // unbound still reads

        var report = await factory.Services.GetRequiredService<KeyRotationService>().RotateAsync();

        Assert.True(report.PerColumn["recipient_list_rows.phone_enc"] >= 1);
        foreach (var column in factory.Services.GetServices<EncryptedColumn>())
        {
            Assert.Equal(0, await c.ExecuteScalarAsync<int>($"SELECT COUNT(*) FROM `{column.Table}` WHERE `{column.Column}` IS NOT NULL AND SUBSTRING(`{column.Column}`, 1, 1) <> 0x02"));
        }

        Assert.Equal("01000000975", Pii.Decrypt((await c.ExecuteScalarAsync<byte[]>("SELECT phone_enc FROM recipient_list_rows WHERE list_id = @ListId AND seq = @Seq", new { row.ListId, row.Seq }))!, RecipientsModule.PhoneColumn.PlaceOf(row.ListId, row.Seq)));
        Assert.Equal("윤옛날", Pii.Decrypt((await c.ExecuteScalarAsync<byte[]>("SELECT name_enc FROM recipient_list_rows WHERE list_id = @ListId AND seq = @Seq", new { row.ListId, row.Seq }))!, RecipientsModule.NameColumn.PlaceOf(row.ListId, row.Seq)));
        Assert.Equal("961234500975", Pii.Decrypt((await c.ExecuteScalarAsync<byte[]>("SELECT coupon_number_enc FROM coupons WHERE id = @couponId", new { couponId }))!, CouponsSetup.NumberColumn.PlaceOf(couponId)));
        Assert.Equal("서옛날", Pii.Decrypt((await c.ExecuteScalarAsync<byte[]>("SELECT name_enc FROM users WHERE id = @staff", new { staff }))!, UserColumns.Name.PlaceOf(staff)));
        Assert.Equal("010-****-0975", (await DetailAsync(admin, item)).GetProperty("row").GetProperty("phone").GetString());
    }

    [Fact]
    public async Task A_cs_memo_moved_to_another_action_row_shows_as_unreadable()
    {
        var (itemA, _) = await MessageAsync(980, bound: true);
        var (itemB, _) = await MessageAsync(981, bound: true);
        await using var c = await factory.Database.OpenAsync();
        var memoA = await MemoAsync(c, itemA, "첫째 고객 통화 메모");
        var memoB = await MemoAsync(c, itemB, "둘째 고객 통화 메모");
        using var admin = await factory.CreateClientAsync(Roles.Admin);
        Assert.Equal("첫째 고객 통화 메모", (await DetailAsync(admin, itemA)).GetProperty("history")[0].GetProperty("memo").GetString());

        await c.ExecuteAsync("UPDATE cs_actions SET memo_enc = (SELECT memo_enc FROM (SELECT memo_enc FROM cs_actions WHERE id = @memoB) x) WHERE id = @memoA", new { memoA, memoB });

        Assert.Equal(PiiReader.Unreadable, (await DetailAsync(admin, itemA)).GetProperty("history")[0].GetProperty("memo").GetString());
        Assert.Equal("둘째 고객 통화 메모", (await DetailAsync(admin, itemB)).GetProperty("history")[0].GetProperty("memo").GetString());
    }

    // As CsJournal writes it: the row first, then its memo bound to the row's id.
    private async Task<long> MemoAsync(MySqlConnector.MySqlConnection c, long item, string memo)
    {
        var id = await c.ExecuteScalarAsync<long>(
            "INSERT INTO cs_actions (item_id, campaign_id, action, result, actor_login, created_at) SELECT id, campaign_id, 'MEMO', 'SUCCESS', 'tester', UTC_TIMESTAMP(6) FROM delivery_items WHERE id = @item; SELECT LAST_INSERT_ID();", new { item });
        await c.ExecuteAsync("UPDATE cs_actions SET memo_enc = @enc WHERE id = @id", new { id, enc = Pii.Encrypt(memo, CouponDesk.Features.CustomerService.CsSetup.MemoColumn.PlaceOf(id)) });
        return id;
    }

    private async Task<(long Item, long Message)> MessageAsync(int phone, bool bound)
    {
        var data = new ReconciliationData(factory.Services);
        var campaign = await data.CampaignAsync(1, phone);
        var item = await data.ItemAsync(campaign, 1, "SENT", null, everDelivered: true);
        var message = await data.MessageAsync(campaign, item, null, "COMPLETE", "SUCCESS");
        var number = $"0100000{phone:D4}";
        await using var c = await factory.Database.OpenAsync();
        await c.ExecuteAsync("UPDATE messages SET phone_enc = @enc WHERE id = @message", new
        {
            message,
            enc = bound ? Pii.Encrypt(number, MessagesSetup.PhoneColumn.PlaceOf(message)) : Pii.Encrypt(number),
        });
        return (item, message);
    }

    private static async Task<JsonElement> DetailAsync(HttpClient client, long item) =>
        await (await client.GetAsync($"/api/cs/items/{item}")).JsonAsync(HttpStatusCode.OK);
}
