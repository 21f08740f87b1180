import sys
from pathlib import Path

# planted claims and bad catalogues are imported from the tests folder
sys.path.insert(0, str(Path(__file__).parent))
