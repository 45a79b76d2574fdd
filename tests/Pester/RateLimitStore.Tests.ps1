#Requires -Version 7.0
<#
    A Redis store the team's machines share their rate limits through, in real pwsh against Garnet (a Redis-protocol
    server pinned as a dotnet tool): set by Connect-Aurous -RateLimitStore or AUROUS_RATE_LIMIT_STORE, shown with its
    password masked, and never the cause of a failed command, even when it goes down mid-run. No stream of any of it
    carries the password.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Emulator = Start-TestEmulator
    $script:Missing = Get-TestGarnetMissing
    $script:Password = "pw-$([guid]::NewGuid().ToString('n'))"
    $script:Garnet = if (-not $Missing) { Start-TestGarnet -Password $Password }
    Connect-TestEmulator
}

AfterAll {
    if ($Garnet) { Stop-TestGarnet $Garnet }
    Disconnect-Aurous
    Stop-TestEmulator
}

Describe 'A rate-limit store' {
    BeforeEach {
        if ($Missing) { Set-ItResult -Skipped -Because $Missing }
    }

    It 'set by AUROUS_RATE_LIMIT_STORE is shown masked, and calls share the buckets through it' {
        $id = (New-TestCharacter 'Stored').Id
        $output = Invoke-TestPwsh -NoConnect -Environment @{
            AUROUS_API_KEY          = $TeamAKey
            AUROUS_BASE_URL         = $Emulator.BaseUri
            AUROUS_RATE_LIMIT_STORE = $Garnet.Configuration
        } -Script @"
Get-AurousContext | Format-List | Out-String -Width 200
`$got = Get-AurousCharacter -Id (@('$id') * 5) -Verbose *>&1 | ForEach-Object {
    if (`$_ -is [System.Management.Automation.WarningRecord]) { "WARNING: `$(`$_.Message)" }
    elseif (`$_ -is [System.Management.Automation.ErrorRecord]) { "ERROR: `$_" }
    elseif (`$_ -is [System.Management.Automation.VerboseRecord]) { "VERBOSE: `$(`$_.Message)" }
    else { 'GOT' }
}
`$got
"@

        $output | Should -Match "RateLimitStore\s+: 127\.0\.0\.1:$($Garnet.Port),password=\*\*\*"
        $output | Should -Match 'Source\s+: Environment'
        ([regex]::Matches($output, '(?m)^GOT$')).Count | Should -Be 5
        $output | Should -Not -Match 'WARNING:|ERROR:'
        $output | Should -Not -Match ([regex]::Escape($Password))
    }

    It 'that goes down mid-run costs one warning, naming it masked, and no command' {
        $id = (New-TestCharacter 'Outage').Id
        $output = Invoke-TestPwsh -NoConnect -Script @"
Connect-Aurous -ApiKey (ConvertTo-SecureString '$TeamAKey' -AsPlainText -Force) -BaseUri '$($Emulator.BaseUri)' -RateLimitMultiplier $($Emulator.RateLimitMultiplier) -RateLimitStore '$($Garnet.Configuration)' -Verbose *>&1 | ForEach-Object { "VERBOSE: `$(`$_.Message)" }
`$report = {
    if (`$_ -is [System.Management.Automation.WarningRecord]) { "WARNING: `$(`$_.Message)" }
    elseif (`$_ -is [System.Management.Automation.ErrorRecord]) { "ERROR: `$_" }
    elseif (`$_ -is [System.Management.Automation.VerboseRecord]) { "VERBOSE: `$(`$_.Message)" }
    elseif (`$_ -is [System.Management.Automation.DebugRecord]) { "DEBUG: `$(`$_.Message)" }
    else { 'GOT' }
}
`$DebugPreference = 'Continue'
Get-AurousCharacter -Id (@('$id') * 3) -Verbose *>&1 | ForEach-Object `$report
Stop-Process -Id $($Garnet.Process.Id) -Force
Start-Sleep -Milliseconds 500
Get-AurousCharacter -Id (@('$id') * 5) -Verbose *>&1 | ForEach-Object `$report
Get-AurousContext | Format-List | Out-String -Width 200
"@

        $output | Should -Match "VERBOSE: Connected to .* sharing the rate limits through 127\.0\.0\.1:$($Garnet.Port),password=\*\*\*\."
        ([regex]::Matches($output, '(?m)^GOT$')).Count | Should -Be 8 -Because $output
        $warnings = @([regex]::Matches($output, '(?m)^WARNING: .*$') | ForEach-Object Value)
        $warnings | Should -HaveCount 1
        $warnings[0] | Should -BeLike "WARNING: The rate-limit store 127.0.0.1:$($Garnet.Port),password=``*``*``* cannot be used (*). This process keeps to the team's limits with this machine's own buckets*tries the store again in a minute."
        $output | Should -Not -Match 'ERROR:'
        $output | Should -Not -Match ([regex]::Escape($Password))
    }

    It 'that is not a StackExchange.Redis configuration is refused by Connect-Aurous, without its password' {
        $secret = "pw-$([guid]::NewGuid().ToString('n'))"
        $thrown = { Connect-Aurous -ApiKey (ConvertTo-SecureString $TeamAKey -AsPlainText -Force) -BaseUri $Emulator.BaseUri -RateLimitStore "127.0.0.1:6379,password=$secret,ssl=$secret" } |
            Should -Throw -ErrorId 'InvalidConfiguration,Aurous.PowerShell.Commands.ConnectAurousCommand' -PassThru

        $thrown.Exception.Message | Should -BeLike 'The rate-limit store 127.0.0.1:6379,password=`*`*`*,ssl=`*`*`* is not a StackExchange.Redis configuration*'
        "$thrown $($thrown.Exception) $($thrown.ErrorDetails)" | Should -Not -Match $secret
        (Get-AurousContext).RateLimitStore | Should -BeNullOrEmpty -Because 'the connection before stays as it was'
    }
}
