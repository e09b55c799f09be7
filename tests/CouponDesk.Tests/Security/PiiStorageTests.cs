using CouponDesk.Data.Leases;
using CouponDesk.Features.Audit;
using CouponDesk.Features.Privacy;
using CouponDesk.Security.Pii;
using CouponDesk.Shared.Hosting;
using CouponDesk.Tests.Accounts;
using CouponDesk.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CouponDesk.Tests.Security;

/// <summary>Encrypted columns through Dapper, blind-index search, key rotation killed halfway and resumed, key registry checks.</summary>
public sealed class PiiStorageTests : IAsyncLifetime
{
    private readonly CouponDeskFactory factory = new();

    public async Task InitializeAsync()
    {
        await factory.InitializeAsync();
        _ = factory.Server;
        await using var connection = await factory.Database.OpenAsync();
        await connection.ExecuteAsync("""
            CREATE TABLE pii_probe (
              id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
              phone_enc VARBINARY(128) NULL,
              phone_index BINARY(32) NULL,
              KEY ix_phone (phone_index)
            ) ENGINE=InnoDB
            """);
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private sealed class ProbeRow
    {
        public long Id { get; init; }

        public EncryptedString? PhoneEnc { get; init; }
    }

    private static PiiProtector Protector(int active, params int[] versions)
    {
        var options = new PiiOptions { ActiveKeyVersion = active, BlindIndexKey = TestKeys.BlindIndexKey };
        foreach (var version in versions)
        {
            options.Keys[version.ToString(System.Globalization.CultureInfo.InvariantCulture)] = version == 1 ? TestKeys.EncryptionKeyV1 : TestKeys.EncryptionKeyV2;
        }

        return new PiiProtector(options);
    }

    private async Task InsertPhonesAsync(PiiProtector pii, int count)
    {
        await using var connection = await factory.Database.OpenAsync();
        for (var i = 0; i < count; i++)
        {
            var phone = $"0100000{i:D4}";
            await connection.ExecuteAsync(
                "INSERT INTO pii_probe (phone_enc, phone_index) VALUES (@enc, @index)",
                new { enc = pii.Protect(phone), index = pii.PhoneBlindIndex(phone) });
        }
    }

    private async Task<string?> FindByPhoneAsync(PiiProtector pii, string typed)
    {
        await using var connection = await factory.Database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<ProbeRow>(
            "SELECT id AS Id, phone_enc AS PhoneEnc FROM pii_probe WHERE phone_index = @index", new { index = pii.PhoneBlindIndex(typed) });
        return pii.RevealOptional(row?.PhoneEnc);
    }

    private KeyRotationService Rotation(PiiProtector pii, int batchSize = 5)
    {
        var registry = new EncryptionKeyRegistry(factory.Database.Connections, pii, TimeProvider.System);
        return new KeyRotationService(
            factory.Database.Connections, new NamedLeases(factory.Database.Connections, NullLogger<NamedLeases>.Instance), pii, registry, [new EncryptedColumn("pii_probe", "phone_enc").Validated()],
            new KeyRotationOptions { BatchSize = batchSize, PauseMilliseconds = 0 }, factory.Services.GetRequiredService<AuditTrail>(),
            NullLogger<KeyRotationService>.Instance);
    }

    [Fact]
    public async Task Encrypted_values_round_trip_through_dapper_and_are_found_by_blind_index()
    {
        var pii = Protector(1, 1);
        await InsertPhonesAsync(pii, 3);

        Assert.Equal("01000000001", await FindByPhoneAsync(pii, "010-0000-0001"));
        Assert.Equal("01000000002", await FindByPhoneAsync(pii, "+82 10 0000 0002"));
        Assert.Null(await FindByPhoneAsync(pii, "010-0000-0099"));
        await using var connection = await factory.Database.OpenAsync();
        var row = await connection.QueryFirstAsync<ProbeRow>("SELECT id AS Id, phone_enc AS PhoneEnc FROM pii_probe");
        Assert.Equal("[encrypted v1]", row.PhoneEnc!.ToString());
    }

    [Fact]
    public async Task A_tampered_column_value_is_rejected_when_read()
    {
        var pii = Protector(1, 1);
        await InsertPhonesAsync(pii, 1);
        await using var connection = await factory.Database.OpenAsync();
        await connection.ExecuteAsync("UPDATE pii_probe SET phone_enc = CONCAT(LEFT(phone_enc, LENGTH(phone_enc) - 1), CHAR(ASCII(RIGHT(phone_enc, 1)) ^ 1))");

        var row = await connection.QueryFirstAsync<ProbeRow>("SELECT id AS Id, phone_enc AS PhoneEnc FROM pii_probe");

        var error = Assert.Throws<PiiDecryptionException>(() => pii.Reveal(row.PhoneEnc!));
        Assert.Contains("altered", error.Message);
    }

    [Fact]
    public async Task A_rotation_killed_halfway_resumes_and_retires_the_old_key()
    {
        var v1 = Protector(1, 1);
        await InsertPhonesAsync(v1, 23);
        await Rotation(v1).RotateAsync(); // records version 1 as ACTIVE

        var v2 = Protector(2, 1, 2);
        using var kill = new CancellationTokenSource();
        var first = Rotation(v2);
        var batches = 0;
        first.AfterBatch = (_, _) =>
        {
            if (++batches == 2)
            {
                kill.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RotateAsync(kill.Token));

        await using (var connection = await factory.Database.OpenAsync())
        {
            Assert.Equal("DECRYPT_ONLY", await connection.ExecuteScalarAsync<string>("SELECT state FROM encryption_keys WHERE version = 1"));
            Assert.Equal(10, await connection.ExecuteScalarAsync<long>("SELECT rows_reencrypted FROM key_rotation_progress WHERE target_version = 2"));
            // Halfway: both versions in the table, and every row still found and readable.
            Assert.Equal("01000000003", await FindByPhoneAsync(v2, "010-0000-0003"));
            Assert.Equal("01000000020", await FindByPhoneAsync(v2, "010-0000-0020"));
        }

        var report = await Rotation(v2).RotateAsync();

        Assert.Equal(13, report.RowsReencrypted);
        Assert.Equal(1, report.RetiredVersions);
        await using (var connection = await factory.Database.OpenAsync())
        {
            Assert.Equal("RETIRED", await connection.ExecuteScalarAsync<string>("SELECT state FROM encryption_keys WHERE version = 1"));
            var versions = await connection.QueryAsync<ProbeRow>("SELECT id AS Id, phone_enc AS PhoneEnc FROM pii_probe");
            Assert.All(versions, r => Assert.Equal(2, r.PhoneEnc!.KeyVersion));
        }

        // After rotation the old key is no longer needed: a protector holding only version 2 reads and finds everything.
        var v2Only = Protector(2, 2);
        for (var i = 0; i < 23; i++)
        {
            Assert.Equal($"0100000{i:D4}", await FindByPhoneAsync(v2Only, $"010-0000-{i:D4}"));
        }

        Assert.Equal(2, await factory.CountAuditAsync(AuditActions.KeyRotation)); // the first recording and this rotation; the killed run wrote none
    }

    [Fact]
    public async Task A_needed_key_missing_from_configuration_or_a_wrong_key_stops_start_up_clearly()
    {
        await Rotation(Protector(1, 1)).RotateAsync();

        var missing = await Assert.ThrowsAsync<ConfigurationException>(() => new EncryptionKeyRegistry(factory.Database.Connections, Protector(2, 2), TimeProvider.System).RecordActiveVersionAsync());
        Assert.Contains("Security:Pii:Keys:1", missing.Message);
        Assert.Contains("no key is configured", missing.Message);

        var wrongKey = new PiiOptions { ActiveKeyVersion = 1, BlindIndexKey = TestKeys.BlindIndexKey };
        wrongKey.Keys["1"] = TestKeys.EncryptionKeyV2;
        var wrong = await Assert.ThrowsAsync<ConfigurationException>(() => new EncryptionKeyRegistry(factory.Database.Connections, new PiiProtector(wrongKey), TimeProvider.System).RecordActiveVersionAsync());
        Assert.Contains("not the key recorded for version 1", wrong.Message);
    }
}
