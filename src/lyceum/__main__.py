from lyceum.cli.main import run

run()
