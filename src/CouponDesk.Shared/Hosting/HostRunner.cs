using Microsoft.Extensions.Options;

namespace CouponDesk.Shared.Hosting;

/// <summary>
/// Runs a host and turns configuration errors into one line per problem on stderr and exit code 2,
/// instead of a stack trace the operator has to read.
/// </summary>
public static class HostRunner
{
    public const int ConfigurationErrorExitCode = 2;

    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (OptionsValidationException ex)
        {
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            }

            return ConfigurationErrorExitCode;
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Several sections invalid at once: the host aggregates their validation failures.
            foreach (var failure in ex.Flatten().InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures))
            {
                await Console.Error.WriteLineAsync($"Configuration error: {failure}");
            }

            return ConfigurationErrorExitCode;
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {ex.Message}");
            return ConfigurationErrorExitCode;
        }
    }
}

/// <summary>A setting that is present but unusable, found outside options validation (e.g. a malformed connection string).</summary>
public sealed class ConfigurationException(string message) : Exception(message);
