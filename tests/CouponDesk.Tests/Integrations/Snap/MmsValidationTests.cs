using CouponDesk.Integrations.Snap;
using CouponDesk.TestSupport;

namespace CouponDesk.Tests.Integrations.Snap;

/// <summary>Every refusal writes nothing, names the field and says why in Korean, without echoing the phone number.</summary>
public sealed class MmsValidationTests(SnapKit kit) : IClassFixture<SnapKit>
{
    [Fact]
    public async Task A_title_of_41_euc_kr_bytes_is_refused_and_40_is_accepted()
    {
        var fits = await kit.MmsAsync() with { Title = new string('가', 20) }; // 40 bytes
        var over = await kit.MmsAsync() with { Title = new string('가', 20) + "A" }; // 41 bytes

        Assert.Single(await kit.QueueAsync(fits));
        var problem = await RefusedAsync(over, MmsProblemCodes.TitleTooLong);
        Assert.Equal("title", problem.Field);
        Assert.Contains("41바이트", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_of_2001_bytes_is_refused_and_2000_is_accepted()
    {
        Assert.Single(await kit.QueueAsync(await kit.MmsAsync() with { Body = new string('한', 1000) }));
        await RefusedAsync(await kit.MmsAsync() with { Body = new string('한', 1000) + "!" }, MmsProblemCodes.BodyTooLong);
    }

    [Fact]
    public async Task Line_breaks_count_as_the_bytes_they_are_stored_as()
    {
        Assert.Single(await kit.QueueAsync(await kit.MmsAsync() with { Body = new string('한', 999) + "\n\n" }));
        await RefusedAsync(await kit.MmsAsync() with { Body = new string('한', 999) + "\n\n\n" }, MmsProblemCodes.BodyTooLong);
    }

    [Fact]
    public async Task An_emoji_is_refused_and_named()
    {
        var problem = await RefusedAsync(await kit.MmsAsync() with { Body = "쿠폰 도착 🎁 확인하세요" }, MmsProblemCodes.Unencodable);

        Assert.Contains("U+1F381", problem.Message, StringComparison.Ordinal);
        Assert.Contains("🎁", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cp949_only_syllable_is_refused_because_carriers_use_strict_euc_kr()
    {
        var problem = await RefusedAsync(await kit.MmsAsync() with { Title = "똠양꿍 쿠폰" }, MmsProblemCodes.Unencodable);

        Assert.Contains("U+B620", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merge_variable_syntax_is_refused() =>
        await RefusedAsync(await kit.MmsAsync() with { Body = "안녕하세요 #{NAME}님" }, MmsProblemCodes.MergeVariable);

    [Fact]
    public async Task Empty_title_and_body_are_refused()
    {
        var ex = await RefusedBatchAsync(await kit.MmsAsync() with { Title = " ", Body = "" });

        Assert.Contains(ex.Problems, p => p.Code == MmsProblemCodes.TitleEmpty);
        Assert.Contains(ex.Problems, p => p.Code == MmsProblemCodes.BodyEmpty);
    }

    [Theory]
    [InlineData("010-0000")]
    [InlineData("0200000000")]
    [InlineData("010-0000-00001")]
    [InlineData("01O-0000-0001")]
    public async Task A_phone_that_is_not_a_mobile_number_is_refused_without_being_echoed(string phone)
    {
        var ex = await RefusedBatchAsync(await kit.MmsAsync() with { Phone = phone });

        Assert.Contains(ex.Problems, p => p.Code == MmsProblemCodes.PhoneInvalid);
        Assert.DoesNotContain(phone, ex.Message, StringComparison.Ordinal);
        Assert.All(ex.Problems, p => Assert.DoesNotContain(phone, p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unregistered_or_malformed_sender_number_is_refused()
    {
        await RefusedAsync(await kit.MmsAsync() with { CallbackNumber = "0299999999" }, MmsProblemCodes.CallbackUnregistered);
        await RefusedAsync(await kit.MmsAsync() with { CallbackNumber = "1600" }, MmsProblemCodes.CallbackFormat);
        Assert.Single(await kit.QueueAsync(await kit.MmsAsync() with { CallbackNumber = "1600-0000" }));
    }

    [Fact]
    public async Task Images_are_checked_as_the_gateway_checks_them()
    {
        await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [] }, MmsProblemCodes.NoImage);
        var one = await kit.StageAsync();
        await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [one, one, one, one] }, MmsProblemCodes.TooManyImages);
        await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [await kit.StageAsync(TestJpeg.Png())] }, MmsProblemCodes.ImageNotJpeg);
        await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [await kit.StageAsync(TestJpeg.Create(totalBytes: 300_001))] }, MmsProblemCodes.ImageTooLarge);
        await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [await kit.StageAsync(TestJpeg.Create(width: 1501, height: 1000))] }, MmsProblemCodes.ImageTooManyPixels);
        await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [await kit.StageAsync([0xFF, 0xD8, 0xFF, 0xDA, 0, 4, 0, 0])] }, MmsProblemCodes.ImageCorrupt);
        Assert.Single(await kit.QueueAsync(await kit.MmsAsync() with { ImagePaths = [await kit.StageAsync(TestJpeg.Create(1500, 1420, 300_000))] }));
    }

    [Fact]
    public async Task Images_outside_the_staging_directory_or_missing_are_refused()
    {
        var outside = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".jpg");
        await File.WriteAllBytesAsync(outside, TestJpeg.Create());
        try
        {
            await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [outside] }, MmsProblemCodes.ImageOutsideDirectory);
            var staged = await kit.StageAsync();
            await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [staged + "/../../../" + Path.GetFileName(outside)] }, MmsProblemCodes.ImageOutsideDirectory);
            File.Delete(staged);
            await RefusedAsync(await kit.MmsAsync() with { ImagePaths = [staged] }, MmsProblemCodes.ImageMissing);
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task One_bad_message_refuses_the_whole_batch_and_writes_nothing()
    {
        var good = await kit.MmsAsync(recipientId: 880_001);
        var bad = await kit.MmsAsync(recipientId: 880_002) with { Title = "🎁" };

        var ex = await RefusedBatchAsync(good, bad);

        Assert.All(ex.Problems, p => Assert.Equal(1, p.Index));
        Assert.Equal(0, await kit.ScalarAsync<int>("SELECT COUNT(*) FROM messages WHERE recipient_id IN (880001, 880002)"));
        Assert.Equal(0, await kit.ScalarAsync<int>("SELECT COUNT(*) FROM UMS_MSG WHERE ETC3 IN ('880001', '880002')"));
    }

    [Fact]
    public async Task Staged_images_get_fresh_unguessable_names_and_are_never_overwritten()
    {
        var first = await kit.StageAsync();
        var second = await kit.StageAsync();

        Assert.NotEqual(first, second);
        Assert.Matches("^[0-9a-f]{32}\\.jpg$", Path.GetFileName(first));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(first)!, "*.tmp"));
    }

    private async Task<MmsProblem> RefusedAsync(OutgoingMms message, string code)
    {
        var ex = await RefusedBatchAsync(message);
        return Assert.Single(ex.Problems, p => p.Code == code);
    }

    private async Task<MmsValidationException> RefusedBatchAsync(params OutgoingMms[] messages)
    {
        var before = await kit.ScalarAsync<long>("SELECT COUNT(*) FROM UMS_MSG");
        var ex = await Assert.ThrowsAsync<MmsValidationException>(() => kit.QueueAsync(messages));
        Assert.Equal(before, await kit.ScalarAsync<long>("SELECT COUNT(*) FROM UMS_MSG"));
        return ex;
    }
}
