using Aurous.Client.Waiting;

namespace Aurous.Client.Tests;

/// <summary>The waiter's budget arithmetic at the documented characters_get bucket (240 burst, 120 per minute).</summary>
public class PollScheduleTests
{
    private static readonly AurousBucketLimit Documented = new(240, 120);

    [Fact]
    public void The_waiter_keeps_80_percent_of_the_burst_and_of_the_rate_as_its_allowance()
    {
        var schedule = new PollSchedule(PollSchedule.DefaultInterval, Documented);

        Assert.Equal(192, schedule.Allowance(TimeSpan.Zero), precision: 6);
        for (var i = 0; i < 200; i++)
        {
            schedule.Spend(TimeSpan.Zero);
        }

        Assert.Equal(-8, schedule.Allowance(TimeSpan.Zero), precision: 6);
        Assert.Equal(-8 + (10 * 1.6), schedule.Allowance(TimeSpan.FromSeconds(10)), precision: 6);
        Assert.Equal(192, schedule.Allowance(TimeSpan.FromMinutes(10)), precision: 6);
    }

    [Fact]
    public void A_full_allowance_is_spread_over_30_seconds_on_top_of_the_sustained_share()
    {
        var schedule = new PollSchedule(PollSchedule.DefaultInterval, Documented);

        Assert.Equal(1 / (1.6 + (192 / 30.0)), schedule.Spacing(TimeSpan.Zero, young: false).TotalSeconds, precision: 6);
    }

    [Fact]
    public void With_the_allowance_spent_polls_come_at_the_sustained_share_of_the_rate()
    {
        var schedule = new PollSchedule(PollSchedule.DefaultInterval, Documented);
        for (var i = 0; i < 192; i++)
        {
            schedule.Spend(TimeSpan.Zero);
        }

        Assert.Equal(60.0 / 96, schedule.Spacing(TimeSpan.Zero, young: false).TotalSeconds, precision: 6);
    }

    [Fact]
    public void Characters_within_the_documented_minimum_synthesis_are_polled_at_half_the_sustained_share()
    {
        var schedule = new PollSchedule(PollSchedule.DefaultInterval, Documented);

        Assert.Equal(2 * 60.0 / 96, schedule.Spacing(TimeSpan.Zero, young: true).TotalSeconds, precision: 6);
        Assert.Equal(TimeSpan.FromSeconds(30), PollSchedule.TypicalMinimumSynthesis);
    }

    [Fact]
    public void A_custom_minimum_interval_and_bucket_are_honoured()
    {
        var schedule = new PollSchedule(TimeSpan.FromMilliseconds(100), new AurousBucketLimit(10, 6000));

        Assert.Equal(TimeSpan.FromMilliseconds(100), schedule.MinimumInterval);
        Assert.Equal(1 / (80 + (8 / 30.0)), schedule.Spacing(TimeSpan.Zero, young: false).TotalSeconds, precision: 6);
    }
}
