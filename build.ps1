<#
.SYNOPSIS
    Builds, tests, documents and packages the Aurous module.

.DESCRIPTION
    For people with PowerShell (Windows PowerShell 5.1 or PowerShell 7); CI and machines without it use the dotnet
    commands in README.md, which build the same layout and package.

      Build    dotnet build of the solution. Building src/Aurous.PowerShell also lays the module out in
               out/Aurous/<version>/ and writes out/Aurous.<version>.nupkg (build/Module.targets).
      Test     dotnet test of the solution, then the Pester tests (tests/*.Tests.ps1) against the laid-out module.
      Docs     Microsoft.PowerShell.PlatyPS turns docs/*.md into src/Aurous.PowerShell/en-US/Aurous.PowerShell.dll-Help.xml,
               the MAML every build ships (commit it with the pages). docs/about_Aurous.help.txt ships as written.
      Package  Docs, then the module's build: the layout and the .nupkg, with the help just generated.

    PlatyPS is taken at its pinned version from PSModulePath, else installed for the current user from the PowerShell
    Gallery. Pester comes from the NuGet package pinned in build/TestTools.proj.

.EXAMPLE
    ./build.ps1 -Task Package

.EXAMPLE
    ./build.ps1 -Task Build, Test -Configuration Debug
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Where Docs writes the MAML: by default the committed copy every build ships. tests/Pester/Help.Tests.ps1 points it
    # elsewhere to compare what docs/ generates with that copy.
    [string] $HelpDirectory = (Join-Path $PSScriptRoot 'src/Aurous.PowerShell/en-US')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$PlatyPSVersion = '1.0.3'

$Root = $PSScriptRoot
$Solution = Join-Path $Root 'Aurous.PowerShell.sln'
$ModuleProject = Join-Path $Root 'src/Aurous.PowerShell/Aurous.PowerShell.csproj'
$Version = @(Select-Xml -Path (Join-Path $Root 'Directory.Build.props') -XPath '//VersionPrefix')[0].Node.InnerText
$LayoutDirectory = Join-Path $Root "out/Aurous/$Version"
$PackagePath = Join-Path $Root "out/Aurous.$Version.nupkg"

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE."
    }
}

<#
    Imports exactly the pinned version: from PSModulePath when it is there (an offline machine or CI puts a folder of
    modules there), else installed for the current user from the PowerShell Gallery. A failed install stops here and
    says how to get the module, instead of failing later on a module that is not there.
#>
function Import-PinnedModule([string] $Name, [string] $RequiredVersion) {
    $module = Get-Module -ListAvailable -Name $Name | Where-Object { $_.Version -eq [version] $RequiredVersion } | Select-Object -First 1
    if (-not $module) {
        Write-Host "$Name $RequiredVersion is not on PSModulePath; installing it for the current user from the PowerShell Gallery"
        $remedy = "Either make the PowerShell Gallery reachable, or put a folder that holds $Name/$RequiredVersion on PSModulePath " +
            "and run again, e.g. `$env:PSModulePath = '<folder>' + [IO.Path]::PathSeparator + `$env:PSModulePath"
        try {
            # -ErrorAction Stop: Install-Module reports an unreachable Gallery as a non-terminating error.
            # -SkipPublisherCheck: Windows ships modules signed by another certificate, which blocks an upgrade.
            Install-Module -Name $Name -RequiredVersion $RequiredVersion -Repository PSGallery -Scope CurrentUser -Force -SkipPublisherCheck -AllowClobber -ErrorAction Stop
        }
        catch {
            throw "Could not install $Name $RequiredVersion from the PowerShell Gallery: $($_.Exception.Message)`n$remedy"
        }

        $module = Get-Module -ListAvailable -Name $Name | Where-Object { $_.Version -eq [version] $RequiredVersion } | Select-Object -First 1
        if (-not $module) {
            throw "Install-Module reported no error, but $Name $RequiredVersion is still not on PSModulePath.`n$remedy"
        }
    }

    Import-Module -Name $module.Path -Force -ErrorAction Stop
}

function Invoke-Build {
    Invoke-Dotnet build $Solution -c $Configuration
    Write-Host "Module: $LayoutDirectory"
}

# Pester comes from the NuGet registry (build/TestTools.proj pins it), so testing needs no PowerShell Gallery.
function Import-Pester {
    $project = Join-Path $Root 'build/TestTools.proj'
    $version = (Select-Xml -Path $project -XPath '//PackageDownload[@Include="Pester"]').Node.Version.Trim('[', ']')
    $available = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -eq [version] $version } | Select-Object -First 1
    if (-not $available) {
        Invoke-Dotnet restore $project --verbosity quiet
        $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
        $available = Join-Path $packages "pester/$version/tools/Pester.psd1"
        if (-not (Test-Path $available)) {
            throw "Pester $version was restored but is not at $available; check 'dotnet nuget locals global-packages --list'."
        }
    }

    Import-Module $available -Force -ErrorAction Stop
}

# Sums the TRX files dotnet test wrote, so the closing line counts every xunit test.
function Get-XunitCounts([string] $Directory) {
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($trx in Get-ChildItem -Path $Directory -Filter '*.trx' -Recurse -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -Raw -LiteralPath $trx.FullName)).TestRun.ResultSummary.Counters
        $counts.Passed += [int] $counters.passed
        $counts.Failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        $counts.Skipped += [int] $counters.notExecuted
    }
    $counts
}

<#
    Builds, runs every xunit suite, then the Pester suite in this pwsh against the laid-out module, exactly as a user
    imports it, and ends with one line that counts both. A failure anywhere still runs the rest, then fails the task.
#>
function Invoke-Test {
    if ($PSVersionTable.PSEdition -ne 'Core') {
        throw 'The Pester tests need PowerShell 7 (pwsh): run "dotnet tool restore && dotnet pwsh -NoProfile -File build.ps1 -Task Test".'
    }

    Import-Pester
    Invoke-Dotnet build $Solution -c $Configuration

    $results = Join-Path $Root 'out/TestResults'
    if (Test-Path $results) { Remove-Item -Path $results -Recurse -Force }
    & dotnet test $Solution -c $Configuration --no-build --logger trx --results-directory (Join-Path $results 'xunit')
    $xunitExit = $LASTEXITCODE
    $xunit = Get-XunitCounts (Join-Path $results 'xunit')

    $configuration = New-PesterConfiguration
    $configuration.Run.Path = Join-Path $Root 'tests/Pester'
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = Join-Path $results 'pester.xml'
    $env:AUROUS_MODULE_MANIFEST = Join-Path $LayoutDirectory 'Aurous.psd1'
    $pester = Invoke-Pester -Configuration $configuration

    $passed = $xunit.Passed + $pester.PassedCount
    $failed = $xunit.Failed + $pester.FailedCount + $pester.FailedBlocksCount + $pester.FailedContainersCount
    $skipped = $xunit.Skipped + $pester.SkippedCount
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped (dotnet test exit $xunitExit)"
    Write-Host "pester: $($pester.PassedCount) passed, $($pester.FailedCount) failed, $($pester.SkippedCount) skipped"
    Write-Host "total: $passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $xunitExit -ne 0 -or $pester.Result -ne 'Passed') {
        throw "Tests failed: $failed failed (dotnet test exit $xunitExit, Pester $($pester.Result))."
    }
}

<#
    docs/<Cmdlet>.md (PlatyPS 1.0 markdown) to the module's MAML. The file is committed, so every build ships help
    without PlatyPS; the help tests regenerate it where PlatyPS is available and fail when it differs from docs/.
#>
<#
    What PlatyPS 1.0.3 writes, made to read clean in Get-Help: it leaves each example's code as a ```powershell fence
    in the introduction, beside a U+0080 paragraph standing for the blank line, with dev:code empty; and it keeps a
    related link's relative target (Wait-AurousCharacter.md), which Get-Help prints as if it were an address. Here the
    code moves into dev:code and the explanation into dev:remarks, where Get-Help shows them, and a link that is not
    a web address keeps only its text.
#>
function Repair-Maml([string] $Text) {
    $doc = [xml]::new()
    $doc.PreserveWhitespace = $false
    $doc.LoadXml($Text)
    $ns = [System.Xml.XmlNamespaceManager]::new($doc.NameTable)
    $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
    $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
    $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')

    foreach ($example in $doc.SelectNodes('//command:example', $ns)) {
        $introduction = $example.SelectSingleNode('maml:introduction', $ns)
        $paragraphs = @($introduction.SelectNodes('maml:para', $ns))
        $fence = $paragraphs | Where-Object { $_.InnerText -match '^```' } | Select-Object -First 1
        if (-not $fence) { continue }
        $example.SelectSingleNode('dev:code', $ns).InnerText = [regex]::Match($fence.InnerText, '(?s)^```[^
]*
(.*?)
?```\s*$').Groups[1].Value
        $remarks = $example.SelectSingleNode('dev:remarks', $ns)
        foreach ($paragraph in $paragraphs) {
            $null = $introduction.RemoveChild($paragraph)
            if ($paragraph -ne $fence -and $paragraph.InnerText -ne [string][char]0x80) {
                $null = $remarks.AppendChild($paragraph)
            }
        }

        # An empty last paragraph: the blank line Get-Help leaves between one example and the next title.
        $null = $remarks.AppendChild($doc.CreateElement('maml', 'para', $ns.LookupNamespace('maml')))
    }

    foreach ($uri in $doc.SelectNodes('//maml:navigationLink/maml:uri', $ns)) {
        if ($uri.InnerText -notmatch '^https?://') { $uri.InnerText = '' }
    }

    $settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; IndentChars = '  '; NewLineChars = "`n"; Encoding = [Text.UTF8Encoding]::new($false) }
    $stream = [IO.MemoryStream]::new()
    $writer = [System.Xml.XmlWriter]::Create($stream, $settings)
    $doc.Save($writer)
    $writer.Dispose()
    [Text.UTF8Encoding]::new($false).GetString($stream.ToArray())
}

function Invoke-Docs {
    Import-PinnedModule -Name Microsoft.PowerShell.PlatyPS -RequiredVersion $PlatyPSVersion
    $pages = @(Get-ChildItem -Path (Join-Path $Root 'docs') -Filter '*-*.md' -File | Sort-Object Name)
    foreach ($result in Test-MarkdownCommandHelp -Path $pages.FullName -DetailView) {
        if (-not $result.IsValid) {
            throw "$($result.Path) does not follow the PlatyPS 1.0 schema:`n$(($result.Messages | Where-Object { $_ -notmatch '^PASS' }) -join "`n")"
        }
    }

    # Export-MamlCommandHelp writes <folder>/<Module Name>/<external help file>: one file for all the pages.
    $staging = Join-Path ([IO.Path]::GetTempPath()) "aurous-help-$([guid]::NewGuid().ToString('n'))"
    try {
        $written = @($pages | Import-MarkdownCommandHelp | Export-MamlCommandHelp -OutputFolder $staging -Force)
        if ($written.Count -ne 1 -or $written[0].Name -ne 'Aurous.PowerShell.dll-Help.xml') {
            throw "Export-MamlCommandHelp wrote $($written.Name -join ', '); every page in docs/ must say 'external help file: Aurous.PowerShell.dll-Help.xml' and 'Module Name: Aurous'."
        }

        # LF on every OS, so the committed file only changes when the help does.
        $maml = (Repair-Maml ([IO.File]::ReadAllText($written[0].FullName))) -replace "`r`n", "`n"
        $null = New-Item -ItemType Directory -Path $HelpDirectory -Force
        $target = Join-Path $HelpDirectory $written[0].Name
        [IO.File]::WriteAllText($target, $maml, [Text.UTF8Encoding]::new($false))
        Write-Host "Help: $target ($($pages.Count) pages)"
    }
    finally {
        Remove-Item -Path $staging -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-Package {
    Invoke-Docs
    Invoke-Dotnet build $ModuleProject -c $Configuration
    $manifest = Test-ModuleManifest -Path (Join-Path $LayoutDirectory 'Aurous.psd1')
    if ($manifest.Version -ne [version] $Version) {
        throw "The manifest says $($manifest.Version); Directory.Build.props says $Version."
    }

    Write-Host "Module:  $LayoutDirectory"
    Write-Host "Package: $PackagePath"
}

foreach ($name in $Task) {
    Write-Host "== $name ($Configuration)"
    & "Invoke-$name"
}
