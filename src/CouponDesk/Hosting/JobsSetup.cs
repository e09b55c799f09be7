using CouponDesk.Data;
using CouponDesk.Shared.Time;
using Quartz;

namespace CouponDesk.Hosting;

/// <summary>
/// Quartz for the periodic jobs, with the clustered ADO store on MariaDB: several processes with the <c>jobs</c> role
/// share one schedule and never run a tick twice. Features add their jobs through <see cref="IJobRegistration"/>; every
/// execution goes through <see cref="JobRunsMiddleware"/> (conflict retry, job history).
/// </summary>
public static class JobsSetup
{
    public static IServiceCollection AddCouponDeskJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = DbConnectionFactory.Normalize(configuration[$"{DatabaseOptions.Section}:ConnectionString"] ?? "");

        // Materialised first: Quartz calls the configure callback while it adds services, and a job registration adds
        // more (ScheduleJob), so enumerating the collection inside the callback would fail.
        var registrations = services.Where(d => d.ServiceType == typeof(IJobRegistration))
            .Select(d => d.ImplementationInstance).OfType<IJobRegistration>().ToList();
        // A job registered twice (a merge once left one in two setups) gives Quartz two jobs of one key, one of them
        // without its trigger; refuse it at start-up with the type's name instead.
        if (registrations.GroupBy(r => r.GetType()).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Job registration {twice.Key.FullName} is added {twice.Count()} times; register each job once.");
        }

        services.AddQuartz("CouponDesk", quartz =>
        {
            quartz.UseDefaultTimeZone(Kst.Zone);
            quartz.AddJobMiddleware<JobRunsMiddleware>();
            quartz.UsePersistentStore(store =>
            {
                store.UseMySqlConnector(db => db.ConnectionString = connectionString);
                store.UseClustering(c => c.CheckinInterval = TimeSpan.FromSeconds(15));
                store.UseSystemTextJsonSerializer();
            });
            foreach (var registration in registrations)
            {
                registration.Register(quartz);
            }
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return services;
    }
}

/// <summary>A feature's periodic job: registered as a singleton instance before <see cref="JobsSetup.AddCouponDeskJobs"/> runs.</summary>
public interface IJobRegistration
{
    void Register(IQuartzBuilder quartz);
}
